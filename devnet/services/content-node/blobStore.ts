import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { CidHasher, isCid } from "../../../sdk/cid";
import { AsixError } from "../../../sdk/errors";
import type { ContentDb } from "./db";
import { SNIFF_BYTES } from "./sniff";

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
}

export interface IngestOptions {
  maxBytes: number;
  /**
   * called once with the first SNIFF_BYTES bytes (or all of them if fewer); throw to refuse early,
   * or return a tighter byte limit for what the head shows the file to be
   */
  checkHead?: (head: Buffer) => number | void;
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

/** Bytes that may wait for the CID hasher before the upload stops reading from the socket. */
const HASH_BACKLOG_BYTES = 8 * 1024 * 1024;

/**
 * Chunks on their way to `cidOfStream`, with backpressure: `push` waits while the hasher is more
 * than HASH_BACKLOG_BYTES behind, so a fast client never makes the node buffer a whole file.
 */
class HashFeed implements AsyncIterable<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  private failed: Error | undefined;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  async push(chunk: Uint8Array): Promise<void> {
    this.queue.push(chunk);
    this.queued += chunk.length;
    this.poke("consumer");
    while (this.queued > HASH_BACKLOG_BYTES && !this.failed) {
      await new Promise<void>((resolve) => (this.wakeProducer = resolve));
    }
  }

  end(): void {
    this.ended = true;
    this.poke("consumer");
  }

  fail(err: Error): void {
    this.failed = err;
    this.poke("consumer");
    this.poke("producer");
  }

  private poke(who: "consumer" | "producer"): void {
    const wake = who === "consumer" ? this.wakeConsumer : this.wakeProducer;
    if (who === "consumer") this.wakeConsumer = undefined;
    else this.wakeProducer = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.failed) throw this.failed;
      const chunk = this.queue.shift();
      if (chunk) {
        this.queued -= chunk.length;
        if (this.queued <= HASH_BACKLOG_BYTES) this.poke("producer");
        yield chunk;
      } else if (this.ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      }
    }
  }
}

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

  /** Stream `source` into a temp file while hashing it. On any failure the temp file is removed. */
  async function ingest(source: AsyncIterable<Buffer>, options: IngestOptions): Promise<IngestedFile> {
    const file = tmpPath();
    const out = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
    const feed = new HashFeed();
    const hashed = hashStream(feed);
    hashed.catch(() => undefined); // awaited below, or abandoned on failure
    let maxBytes = options.maxBytes;
    let size = 0;
    let head = Buffer.alloc(0);
    let headChecked = !options.checkHead;
    // A write error may fire between awaits: keep it, and never let it go unhandled.
    let writeError: Error | undefined;
    out.on("error", (err) => (writeError ??= err));
    try {
      await once(out, "open");
      for await (const chunk of source) {
        if (writeError) throw writeError;
        size += chunk.length;
        if (!headChecked) {
          head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
          if (head.length >= SNIFF_BYTES) {
            headChecked = true;
            maxBytes = Math.min(maxBytes, options.checkHead!(head) ?? Infinity);
          }
        } else if (head.length < SNIFF_BYTES) {
          head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
        }
        if (size > maxBytes) {
          throw new AsixError("PAYLOAD_TOO_LARGE", `file is larger than the limit of ${maxBytes} bytes`);
        }
        // Disk and hasher drain in parallel; wait for both before reading on.
        const written = out.write(chunk) ? undefined : once(out, "drain");
        written?.catch(() => undefined); // a write error is rethrown by the await below
        await feed.push(chunk);
        if (written) await written;
      }
      if (!headChecked && size > Math.min(maxBytes, options.checkHead!(head) ?? Infinity)) {
        throw new AsixError("PAYLOAD_TOO_LARGE", `file is larger than the limit for its kind`);
      }
      if (writeError) throw writeError;
      await new Promise<void>((resolve, reject) => {
        out.once("error", reject);
        out.end(resolve);
      });
      feed.end();
      const durable = syncPath(file);
      durable.catch(() => undefined); // awaited by commit; a discarded file's sync does not matter
      const { cid, leaves } = await hashed;
      ingested.set(file, { cid, leaves, durable });
      return { tmpPath: file, cid, size, head };
    } catch (err) {
      feed.fail(err instanceof Error ? err : new Error(String(err)));
      out.destroy();
      await fs.promises.rm(file, { force: true });
      throw err;
    }
  }

  /**
   * Move a temp file into place as the blob `cid` and record it with its leaf digests. A file that
   * `ingest` did not hash is hashed here: nothing is stored under a CID its bytes do not have.
   */
  async function commit(file: string, cid: string, size: number, contentType: string): Promise<void> {
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
    db.putBlob(cid, size, contentType, hashed.leaves);
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
