import { CHUNK_SIZE, CidHasher, cidOfLeafDigests, leafDigest } from "../../../sdk/cid";
import type { Logger } from "../http";
import type { BlobStore } from "./blobStore";
import type { ContentDb } from "./db";
import { BlobUnavailable, type DiskAccess, type OpenedFile } from "./diskAccess";

/**
 * Verified blob reads: a node never sends bytes that do not match their CID.
 *
 * Each blob's UnixFS leaf digests (one sha2-256 per 256 KiB chunk) are kept beside it in SQLite.
 * On open they are checked once against the CID (rebuilding the DAG root from them costs a few
 * hashes of 34-byte links), and every chunk a read touches is read whole and hashed against its
 * digest before any of it is sent. A chunk that passed is remembered for the file's current stamp
 * (inode, size, mtime, ctime): any write or replacement changes the stamp and forgets it, so
 * steady-state reads of an unchanged file skip the rehash. A background scrub rehashes every blob
 * in full once per scrub interval, which catches what a stamp cannot see (bit rot).
 *
 * A blob that fails (missing, not a regular file, wrong size, a chunk that does not match) is
 * quarantined: its row is forgotten and its file moved aside, so this node stops claiming it, a
 * reader is redirected to a replica, and a replica's repair pushes a good copy back.
 */

export interface BlobReaderOptions {
  store: BlobStore;
  db: ContentDb;
  disk: DiskAccess;
  /** how reads are checked (ReadCheck); "off" only to measure what checking costs */
  readCheck: ReadCheck;
  log: Logger;
}

/**
 * "remembered": each chunk is hashed on its first read under the file's current stamp (default);
 * "every-read": every chunk read is hashed, every time; "off": nothing is hashed (bench baseline).
 */
export type ReadCheck = "remembered" | "every-read" | "off";

interface Verified {
  stamp: string;
  leaves: Buffer;
  /** 1 for each chunk that matched its digest under this stamp */
  chunks: Uint8Array;
}

/** An open, checked blob: read it with `read`, then `close` it. */
export interface OpenBlob {
  cid: string;
  size: number;
  contentType: string;
  file: OpenedFile;
  verified: Verified;
}

/** How many blobs' checked chunks are remembered (a bitmap and the digests each). */
const REMEMBERED_BLOBS = 4096;

const chunkCount = (size: number) => Math.max(1, Math.ceil(size / CHUNK_SIZE));

export function createBlobReader(options: BlobReaderOptions) {
  const { store, db, disk, log } = options;
  const remembered = new Map<string, Verified>();

  function remember(cid: string, verified: Verified): void {
    remembered.delete(cid);
    remembered.set(cid, verified);
    if (remembered.size > REMEMBERED_BLOBS) remembered.delete(remembered.keys().next().value!);
  }

  /** Take a damaged copy out of service, then rethrow why. */
  async function fail(cid: string, err: unknown): Promise<never> {
    if (err instanceof BlobUnavailable && err.damaged) {
      remembered.delete(cid);
      await store.quarantine(cid).catch((e) => log("quarantine failed", { cid, error: String(e) }));
      log("blob quarantined", { cid, fault: err.fault, reason: err.message });
    }
    throw err;
  }

  /** Hash the whole open file; its leaf digests when it matches `cid`. */
  async function hashWhole(file: OpenedFile, cid: string): Promise<Buffer> {
    const hasher = new CidHasher();
    for (let pos = 0; pos < file.size; pos += CHUNK_SIZE) hasher.update(await disk.read(file, Math.min(CHUNK_SIZE, file.size - pos), pos));
    if (hasher.cid() !== cid) throw new BlobUnavailable("corrupt", "the blob's bytes do not hash to its CID");
    return hasher.leafDigests();
  }

  /** Open blob `cid` if this node holds it; throws BlobUnavailable (after quarantining a damaged copy). */
  async function open(cid: string): Promise<OpenBlob | undefined> {
    const row = store.get(cid);
    if (!row) return undefined;
    let file: OpenedFile | undefined;
    try {
      file = await disk.open(row.path, row.size);
      let verified = remembered.get(cid);
      if (!verified || verified.stamp !== file.stamp) {
        let leaves = db.getLeaves(cid);
        if (!leaves) {
          // Stored before digests were kept: check it in full once and keep them.
          leaves = await hashWhole(file, cid);
          db.setLeaves(cid, leaves);
          verified = { stamp: file.stamp, leaves, chunks: new Uint8Array(chunkCount(row.size)).fill(1) };
        } else {
          if (cidOfLeafDigests(leaves, row.size) !== cid) throw new BlobUnavailable("corrupt", "the stored leaf digests do not match the CID");
          verified = { stamp: file.stamp, leaves, chunks: new Uint8Array(chunkCount(row.size)) };
        }
        remember(cid, verified);
      }
      return { cid, size: row.size, contentType: row.content_type, file, verified };
    } catch (err) {
      await file?.handle.close().catch(() => undefined);
      return fail(cid, err);
    }
  }

  /**
   * Bytes `start..end` (inclusive) of an open blob, in pieces of at most one chunk, each checked
   * before it is yielded. Throws BlobUnavailable mid-way if a later chunk does not match.
   */
  async function* read(blob: OpenBlob, start: number, end: number, recheck = false): AsyncGenerator<Buffer> {
    const { file, verified } = blob;
    try {
      for (let i = Math.floor(start / CHUNK_SIZE); i * CHUNK_SIZE <= end; i++) {
        const chunkStart = i * CHUNK_SIZE;
        const chunkEnd = Math.min(blob.size, chunkStart + CHUNK_SIZE); // exclusive
        const from = Math.max(start, chunkStart);
        const to = Math.min(end + 1, chunkEnd);
        const trusted = verified.chunks[i] === 1 && !recheck && options.readCheck === "remembered";
        if (options.readCheck === "off" || trusted) {
          yield await disk.read(file, to - from, from);
          continue;
        }
        const chunk = await disk.read(file, chunkEnd - chunkStart, chunkStart);
        if (!leafDigest(chunk).equals(verified.leaves.subarray(i * 32, i * 32 + 32))) {
          throw new BlobUnavailable("corrupt", `chunk ${i} of the blob does not match its digest`);
        }
        verified.chunks[i] = 1;
        yield from === chunkStart && to === chunkEnd ? chunk : chunk.subarray(from - chunkStart, to - chunkStart);
      }
    } catch (err) {
      await fail(blob.cid, err);
    }
  }

  async function close(blob: OpenBlob): Promise<void> {
    await blob.file.handle.close().catch(() => undefined);
  }

  /** Whether this node holds a sound copy: opened and (when `full`) every chunk rehashed. */
  async function check(cid: string, full: boolean): Promise<boolean> {
    let blob: OpenBlob | undefined;
    try {
      blob = await open(cid);
      if (!blob) return false;
      if (full) for await (const _ of read(blob, 0, blob.size - 1, true));
      return true;
    } catch {
      return false;
    } finally {
      if (blob) await close(blob);
    }
  }

  const scrubbedAt = new Map<string, number>();

  /**
   * Rehash blobs not scrubbed within `intervalMs`, up to `budgetBytes` this call (the repair loop
   * calls it every round). A node that just started scrubs everything it holds, crash leftovers
   * included, within its first rounds.
   */
  async function scrub(intervalMs: number, budgetBytes: number): Promise<void> {
    const now = Date.now();
    let spent = 0;
    for (const row of store.list()) {
      if (spent >= budgetBytes) break;
      if (now - (scrubbedAt.get(row.cid) ?? 0) < intervalMs) continue;
      spent += row.size;
      scrubbedAt.set(row.cid, now);
      await check(row.cid, true);
    }
  }

  return { open, read, close, check, scrub };
}

export type BlobReader = ReturnType<typeof createBlobReader>;
export { BlobUnavailable };
