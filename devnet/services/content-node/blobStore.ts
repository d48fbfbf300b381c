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
  /** called once with the first SNIFF_BYTES bytes (or all of them if fewer); throw to refuse early */
  checkHead?: (head: Buffer) => void;
}

export type BlobStore = ReturnType<typeof createBlobStore>;

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

  /** Stream `source` into a temp file while hashing it. On any failure the temp file is removed. */
  async function ingest(source: AsyncIterable<Buffer>, options: IngestOptions): Promise<IngestedFile> {
    const file = tmpPath();
    const out = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
    const hasher = new CidHasher();
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
        if (size > options.maxBytes) {
          throw new AsixError("PAYLOAD_TOO_LARGE", `file is larger than the limit of ${options.maxBytes} bytes`);
        }
        if (!headChecked) {
          head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
          if (head.length >= SNIFF_BYTES) {
            headChecked = true;
            options.checkHead!(head);
          }
        } else if (head.length < SNIFF_BYTES) {
          head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
        }
        hasher.update(chunk);
        if (!out.write(chunk)) await once(out, "drain");
      }
      if (!headChecked) options.checkHead!(head);
      if (writeError) throw writeError;
      await new Promise<void>((resolve, reject) => {
        out.once("error", reject);
        out.end(resolve);
      });
      return { tmpPath: file, cid: await hasher.cid(), size, head };
    } catch (err) {
      hasher.cid().catch(() => undefined);
      out.destroy();
      await fs.promises.rm(file, { force: true });
      throw err;
    }
  }

  /** Move a verified temp file into place as the blob `cid` and record it. */
  async function commit(file: string, cid: string, size: number, contentType: string): Promise<void> {
    const dest = pathOf(cid);
    await fs.promises.mkdir(path.dirname(dest), { recursive: true });
    await fs.promises.rename(file, dest);
    db.putBlob(cid, size, contentType);
  }

  async function discard(file: string): Promise<void> {
    await fs.promises.rm(file, { force: true });
  }

  /** The blob's record, if this node holds it (and the file is really there). */
  function get(cid: string) {
    const row = db.getBlob(cid);
    if (!row) return undefined;
    return { ...row, path: pathOf(cid) };
  }

  async function remove(cid: string): Promise<void> {
    db.deleteBlob(cid);
    await fs.promises.rm(pathOf(cid), { force: true });
  }

  /** Bytes used by blobs (from the table; the files are exactly these sizes). */
  function bytesUsed(): number {
    return db.listBlobs().reduce((sum, b) => sum + b.size, 0);
  }

  return { dir, blobsDir, tmpDir, pathOf, tmpPath, ingest, commit, discard, get, remove, list: db.listBlobs, bytesUsed };
}
