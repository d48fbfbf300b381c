import { CHUNK_SIZE, CidHasher, cidOfLeafDigests, leafDigest } from "../../../sdk/cid";
import type { Logger } from "../http";
import type { BlobStore } from "./blobStore";
import type { ContentDb } from "./db";
import { ChunkCache } from "./chunkCache";
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
  /** bytes of checked chunks kept in memory (chunkCache.ts); 0 for none */
  cacheBytes?: number;
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

/** Largest single read of chunks that need no hash: one read call instead of one per chunk. */
const READ_SPAN = 4 * CHUNK_SIZE;
/** Read buffers kept for reuse, so serving does not allocate a fresh megabyte per request. */
const POOLED_BUFFERS = 64;
const readBuffers: Buffer[] = [];
/** the memory of the pooled buffers: a piece given back twice must not be handed out twice */
const pooled = new WeakSet<ArrayBufferLike>();

function takeReadBuffer(): Buffer {
  const buffer = readBuffers.pop();
  if (!buffer) return Buffer.allocUnsafeSlow(READ_SPAN);
  pooled.delete(buffer.buffer);
  return buffer;
}

/**
 * Give back a piece `read` yielded, once nothing refers to its bytes any more (e.g. in the
 * response's write callback). Pieces that are not from the pool are ignored.
 */
export function releaseReadBuffer(piece: Buffer): void {
  if (piece.byteOffset !== 0 || piece.buffer.byteLength !== READ_SPAN || readBuffers.length >= POOLED_BUFFERS || pooled.has(piece.buffer)) return;
  pooled.add(piece.buffer);
  readBuffers.push(Buffer.from(piece.buffer, 0, READ_SPAN));
}

export function createBlobReader(options: BlobReaderOptions) {
  const { store, db, disk, log } = options;
  const remembered = new Map<string, Verified>();
  // Every-read hashes each read, so it keeps nothing in memory.
  const cache = new ChunkCache(options.readCheck === "every-read" ? 0 : (options.cacheBytes ?? 0));

  function remember(cid: string, verified: Verified): void {
    remembered.delete(cid);
    remembered.set(cid, verified);
    if (remembered.size > REMEMBERED_BLOBS) remembered.delete(remembered.keys().next().value!);
  }

  /** Take a damaged copy out of service, then rethrow why. */
  async function fail(cid: string, err: unknown): Promise<never> {
    if (err instanceof BlobUnavailable && err.damaged) {
      const size = store.get(cid)?.size;
      if (size !== undefined) cache.forget(cid, chunkCount(size));
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
    const digests = hasher.leafDigests();
    return Buffer.from(digests.buffer, digests.byteOffset, digests.byteLength);
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
        cache.forget(cid, chunkCount(row.size)); // kept under a stamp the file may no longer have
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
      if (file) await disk.close(file);
      return fail(cid, err);
    }
  }

  /**
   * Bytes `start..end` (inclusive) of an open blob, each piece checked before it is yielded.
   * Chunks that need no hash (remembered, or checks off) are read in runs of up to READ_SPAN bytes
   * into pooled buffers (give them back with `releaseReadBuffer` once sent); a chunk that must be
   * hashed is read whole and yielded alone. Throws BlobUnavailable mid-way if a chunk does not match.
   */
  async function* read(blob: OpenBlob, start: number, end: number, recheck = false): AsyncGenerator<Buffer> {
    const { file, verified } = blob;
    const unchecked = (i: number) => options.readCheck === "off" || (verified.chunks[i] === 1 && !recheck && options.readCheck === "remembered");
    const checkChunk = (chunk: Buffer, i: number) => {
      if (Buffer.compare(leafDigest(chunk), verified.leaves.subarray(i * 32, i * 32 + 32)) !== 0) {
        throw new BlobUnavailable("corrupt", `chunk ${i} of the blob does not match its digest`);
      }
      verified.chunks[i] = 1;
    };
    try {
      let pos = start;
      while (pos <= end) {
        const i = Math.floor(pos / CHUNK_SIZE);
        if (cache.enabled && !recheck) {
          // Whole chunks, kept once checked: the next reads of them touch no disk.
          const chunkStart = i * CHUNK_SIZE;
          const to = Math.min(end + 1, chunkStart + CHUNK_SIZE, blob.size);
          let chunk = cache.get(blob.cid, i);
          if (!chunk) {
            chunk = await disk.read(file, Math.min(blob.size, chunkStart + CHUNK_SIZE) - chunkStart, chunkStart);
            if (!unchecked(i)) checkChunk(chunk, i);
            cache.put(blob.cid, i, chunk);
          }
          yield pos === chunkStart && to - chunkStart === chunk.length ? chunk : chunk.subarray(pos - chunkStart, to - chunkStart);
          pos = to;
          continue;
        }
        if (unchecked(i)) {
          let to = pos; // exclusive
          for (let j = i; j * CHUNK_SIZE <= end && to - pos < READ_SPAN && unchecked(j); j++) {
            to = Math.min(end + 1, (j + 1) * CHUNK_SIZE, pos + READ_SPAN);
          }
          yield await disk.read(file, to - pos, pos, takeReadBuffer());
          pos = to;
          continue;
        }
        const chunkStart = i * CHUNK_SIZE;
        const chunkEnd = Math.min(blob.size, chunkStart + CHUNK_SIZE); // exclusive
        const to = Math.min(end + 1, chunkEnd);
        const chunk = await disk.read(file, chunkEnd - chunkStart, chunkStart);
        checkChunk(chunk, i);
        yield pos === chunkStart && to === chunkEnd ? chunk : chunk.subarray(pos - chunkStart, to - chunkStart);
        pos = to;
      }
    } catch (err) {
      await fail(blob.cid, err);
    }
  }

  /**
   * Bytes `start..end` (inclusive) of an open blob as slices of cached chunks, when every chunk
   * they touch is in the chunk cache (so checked under the file's current stamp already, or checks
   * are off) and they come to at most `maxBytes`; undefined otherwise, and then `read` serves them.
   * No I/O and no promise: the caller can hand them all to the socket at once.
   */
  function cachedRange(blob: OpenBlob, start: number, end: number, maxBytes: number): Buffer[] | undefined {
    if (!cache.enabled || end - start + 1 > maxBytes) return undefined;
    const first = Math.floor(start / CHUNK_SIZE);
    const last = Math.floor(end / CHUNK_SIZE);
    const pieces: Buffer[] = [];
    for (let i = first; i <= last; i++) {
      const chunk = cache.peek(blob.cid, i);
      if (!chunk) return undefined;
      const chunkStart = i * CHUNK_SIZE;
      const from = Math.max(start, chunkStart) - chunkStart;
      const to = Math.min(end + 1, chunkStart + chunk.length) - chunkStart;
      pieces.push(from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to));
    }
    for (let i = first; i <= last; i++) cache.get(blob.cid, i); // used: most recently, for the LRU order
    return pieces;
  }

  /** Whether the chunk holding byte `pos` of an open blob is read without a hash (checked already under its stamp, or checks off). */
  function isChecked(blob: OpenBlob, pos: number): boolean {
    return options.readCheck === "off" || (options.readCheck === "remembered" && blob.verified.chunks[Math.floor(pos / CHUNK_SIZE)] === 1);
  }

  async function close(blob: OpenBlob): Promise<void> {
    await disk.close(blob.file);
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

  return { open, read, cachedRange, isChecked, close, check, scrub, closeAll: disk.closeAll, cachedBytes: () => cache.bytes };
}

export type BlobReader = ReturnType<typeof createBlobReader>;
export { BlobUnavailable };
