import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { CidHasher, isCid } from "../../../sdk/cid";
import { AsixError } from "../../../sdk/errors";
import type { ContentDb } from "./db";
import { SNIFF_BYTES } from "./sniff";
import { TempFileWriter } from "./tempFile";

/**
 * Blobs on disk, named by CID: `<dir>/blobs/<last two chars>/<cid>`. Bytes arrive in a temp file
 * under `<dir>/tmp` while their CID is computed, and are renamed into place only once complete and
 * accepted, so a reader never sees a partial blob and a failed upload leaves nothing behind.
 */
export interface IngestedFile {
  tmpPath: string;
  cid: string;
  size: number;
  /** the first bytes, for sniffing */
  head: Buffer;
  /** settles once the temp file's bytes are on disk (commit waits for it too) */
  durable: Promise<void>;
}

export interface IngestOptions {
  maxBytes: number;
  /**
   * called once with the first SNIFF_BYTES bytes (or all of them if fewer); throw to refuse early,
   * or return a tighter byte limit for what the head shows the file to be
   */
  checkHead?: (head: Buffer) => number | void;
  /** called once the temp file exists, with a way to wait for its bytes (for a reader that follows the writes) */
  onOpen?: (file: { path: string; waitFor(bytes: number): Promise<void> }) => void;
}

/** The CID and leaf digests of a byte stream. */
async function hashStream(source: AsyncIterable<Uint8Array>): Promise<{ cid: string; leaves: Buffer }> {
  const hasher = new CidHasher();
  for await (const chunk of source) hasher.update(chunk);
  const cid = hasher.cid();
  const digests = hasher.leafDigests();
  return { cid, leaves: Buffer.from(digests.buffer, digests.byteOffset, digests.byteLength) };
}

/** fsync a file or directory, through its own descriptor (fsync on a read-only one is enough on Linux). */
async function syncPath(target: string): Promise<void> {
  const handle = await fs.promises.open(target, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export type BlobStore = ReturnType<typeof createBlobStore>;

/** A held blob's record and where its file is. */
export interface HeldBlob {
  cid: string;
  size: number;
  content_type: string;
  path: string;
}

/** How many blob records the store keeps in memory. */
const CACHED_ROWS = 4096;

export function createBlobStore(dir: string, db: ContentDb) {
  const blobsDir = path.join(dir, "blobs");
  const tmpDir = path.join(dir, "tmp");
  fs.mkdirSync(blobsDir, { recursive: true });
  fs.mkdirSync(tmpDir, { recursive: true });
  // Temp files are only ever in-flight writes; any left over are from a crash.
  for (const name of fs.readdirSync(tmpDir)) fs.rmSync(path.join(tmpDir, name), { force: true, recursive: true });

  const pathOf = (cid: string) => {
    if (!isCid(cid)) throw new AsixError("INVALID_INPUT", `malformed CID: ${JSON.stringify(cid).slice(0, 80)}`);
    return path.join(blobsDir, cid.slice(-2), cid);
  };
  const tmpPath = (suffix = "") => path.join(tmpDir, randomBytes(12).toString("hex") + suffix);
  const quarantineDir = path.join(dir, "quarantine");
  /**
   * Leaf digests of temp files that `ingest` hashed, so `commit` need not read them again, and the
   * fsync `ingest` started as soon as the bytes were written, so it overlaps the sniff and probe.
   */
  const ingested = new Map<string, { cid: string; leaves: Buffer; durable: Promise<void> }>();
  /**
   * Rows of held blobs, so a read costs no SQLite query. Every change to the blobs table goes
   * through this store (commit, quarantine, remove), which keeps the cache exact.
   */
  const rows = new Map<string, HeldBlob>();
  const forget = (cid: string) => rows.delete(cid);

  /**
   * Stream `source` into a temp file while hashing it: each chunk is queued for the disk, then
   * hashed on this thread while the write runs in the thread pool, so the CID is known when the
   * last byte is, and no byte is read twice. The temp file's fsync starts at once (its writeback
   * was kept up as the bytes came: tempFile.ts). On any failure the temp file is removed.
   */
  async function ingest(source: AsyncIterable<Buffer>, options: IngestOptions): Promise<IngestedFile> {
    const file = tmpPath();
    const out = await TempFileWriter.create(file);
    options.onOpen?.({ path: file, waitFor: (bytes) => out.waitFor(bytes) });
    const hasher = new CidHasher();
    let maxBytes = options.maxBytes;
    let size = 0;
    let head = Buffer.alloc(0);
    let headChecked = !options.checkHead;
    try {
      for await (const chunk of source) {
        size += chunk.length;
        if (head.length < SNIFF_BYTES) {
          head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
          if (!headChecked && head.length >= SNIFF_BYTES) {
            headChecked = true;
            maxBytes = Math.min(maxBytes, options.checkHead!(head) ?? Infinity);
          }
        }
        if (size > maxBytes) {
          throw new AsixError("PAYLOAD_TOO_LARGE", `file is larger than the limit of ${maxBytes} bytes`);
        }
        const backlog = out.write(chunk);
        hasher.update(chunk);
        if (backlog) await backlog;
      }
      if (!headChecked && size > Math.min(maxBytes, options.checkHead!(head) ?? Infinity)) {
        throw new AsixError("PAYLOAD_TOO_LARGE", `file is larger than the limit for its kind`);
      }
      await out.finish();
      const durable = out.sync();
      durable.catch(() => undefined); // awaited by commit; a discarded file's sync does not matter
      const cid = hasher.cid();
      const digests = hasher.leafDigests();
      const leaves = Buffer.from(digests.buffer, digests.byteOffset, digests.byteLength);
      ingested.set(file, { cid, leaves, durable });
      return { tmpPath: file, cid, size, head, durable };
    } catch (err) {
      await out.abort().catch(() => undefined);
      await fs.promises.rm(file, { force: true });
      throw err;
    }
  }

  /**
   * Move a temp file into place as the blob `cid` and record it with its leaf digests. A file that
   * `ingest` did not hash is hashed here: nothing is stored under a CID its bytes do not have.
   * `record` (e.g. the upload's row) is written in the same transaction as the blob's row, and that
   * transaction is on disk before this resolves.
   */
  async function commit(file: string, cid: string, size: number, contentType: string, record?: () => void): Promise<void> {
    const known = ingested.get(file);
    const hashed = known ?? (await hashStream(fs.createReadStream(file, { highWaterMark: 1 << 20 })));
    ingested.delete(file);
    if (hashed.cid !== cid) throw new AsixError("INTERNAL", `refusing to store bytes that hash to ${hashed.cid} as ${cid}`);
    // A blob the node has answered for must survive a crash: its bytes reach the disk before the
    // rename, and the rename itself before the row (and the answer) exist.
    await (known?.durable ?? syncPath(file));
    const dest = pathOf(cid);
    // A shard directory made now is itself an entry of blobs/ that must reach the disk.
    if (await fs.promises.mkdir(path.dirname(dest), { recursive: true })) await syncPath(blobsDir);
    await fs.promises.rename(file, dest);
    await syncPath(path.dirname(dest));
    forget(cid);
    db.durably(() => {
      db.putBlob(cid, size, contentType, hashed.leaves);
      record?.();
    });
  }

  async function discard(file: string): Promise<void> {
    ingested.delete(file);
    await fs.promises.rm(file, { force: true });
  }

  /**
   * Take a damaged blob out of service: forget its row (so this node stops claiming it and a peer's
   * repair pushes a good copy back) and move whatever is at its path aside for the operator.
   */
  async function quarantine(cid: string): Promise<void> {
    forget(cid);
    db.deleteBlob(cid);
    await fs.promises.mkdir(quarantineDir, { recursive: true });
    await fs.promises.rename(pathOf(cid), path.join(quarantineDir, `${cid}.${Date.now()}`)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOENT") throw err;
    });
  }

  /** The blob's record, if this node holds it (and the file is really there). */
  function get(cid: string): HeldBlob | undefined {
    const cached = rows.get(cid);
    if (cached) return cached;
    const row = db.getBlob(cid);
    if (!row) return undefined;
    const held = { ...row, path: pathOf(cid) };
    if (rows.size >= CACHED_ROWS) rows.delete(rows.keys().next().value!);
    rows.set(cid, held);
    return held;
  }

  async function remove(cid: string): Promise<void> {
    forget(cid);
    db.deleteBlob(cid);
    await fs.promises.rm(pathOf(cid), { force: true });
  }

  /** Bytes used by blobs (from the table; the files are exactly these sizes). */
  function bytesUsed(): number {
    return db.listBlobs().reduce((sum, b) => sum + b.size, 0);
  }

  return { dir, blobsDir, tmpDir, quarantineDir, pathOf, tmpPath, ingest, commit, discard, quarantine, get, remove, list: db.listBlobs, bytesUsed };
}
