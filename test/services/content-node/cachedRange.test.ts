import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { CHUNK_SIZE } from "../../../sdk/cid";
import { createBlobStore } from "../../../devnet/services/content-node/blobStore";
import { openContentDb } from "../../../devnet/services/content-node/db";
import { createDiskAccess } from "../../../devnet/services/content-node/diskAccess";
import { createBlobReader, type BlobReader, type OpenBlob } from "../../../devnet/services/content-node/integrity";
import { waitFor } from "./fixture";

const MiB = 1024 * 1024;

/**
 * `cachedRange`: the bytes of a range as slices of checked chunks held in memory, which the serving
 * path sends to the socket in one write. It must give exactly the file's bytes, and nothing once
 * the file changed under it (issue 15).
 */
describe("content node: ranges answered from the chunk cache in one write", function () {
  this.timeout(30_000);
  let dir: string;
  let db: ReturnType<typeof openContentDb>;
  let reader: BlobReader;
  let bytes: Buffer;
  let cid: string;
  let file: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-cached-range-"));
    db = openContentDb(path.join(dir, "content-node.sqlite"));
    const store = createBlobStore(dir, db);
    bytes = randomBytes(3 * CHUNK_SIZE + 1000); // four chunks, the last a short one
    const ingested = await store.ingest((async function* () { yield bytes; })(), { maxBytes: 10 * MiB });
    cid = ingested.cid;
    await store.commit(ingested.tmpPath, cid, bytes.length, "application/octet-stream");
    file = store.pathOf(cid);
    reader = createBlobReader({ store, db, disk: createDiskAccess(5000), readCheck: "remembered", cacheBytes: 8 * MiB, log: () => undefined });
  });
  after(async () => {
    await reader.closeAll();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function withBlob<T>(use: (blob: OpenBlob) => T | Promise<T>): Promise<T> {
    const blob = (await reader.open(cid))!;
    try {
      return await use(blob);
    } finally {
      await reader.close(blob);
    }
  }

  const ranges: [number, number][] = [
    [100, 2 * CHUNK_SIZE + 50], // unaligned, across two chunk boundaries
    [CHUNK_SIZE, 2 * CHUNK_SIZE - 1], // exactly one chunk
    [3 * CHUNK_SIZE - 10, 3 * CHUNK_SIZE + 999], // into the short last chunk, to the end
    [5, 5], // one byte
  ];

  it("has nothing for chunks not yet read, then the exact bytes of every range once they are", async () => {
    await withBlob(async (blob) => {
      expect(reader.cachedRange(blob, 0, 1000, 4 * MiB), "nothing read yet").to.equal(undefined);
      for await (const _ of reader.read(blob, 0, CHUNK_SIZE - 1));
      expect(reader.cachedRange(blob, 100, CHUNK_SIZE + 100, 4 * MiB), "the second chunk is not read yet").to.equal(undefined);
      for await (const _ of reader.read(blob, 0, blob.size - 1));
      for (const [start, end] of ranges) {
        const pieces = reader.cachedRange(blob, start, end, 4 * MiB);
        expect(pieces, `${start}-${end}`).to.not.equal(undefined);
        expect(Buffer.concat(pieces!).equals(bytes.subarray(start, end + 1)), `${start}-${end}`).to.equal(true);
      }
      expect(reader.cachedRange(blob, 0, blob.size - 1, CHUNK_SIZE), "a range larger than maxBytes goes through read").to.equal(undefined);
    });
  });

  it("has nothing once the file is written in place: its chunks are checked again from the disk", async () => {
    const stamp = await withBlob((blob) => blob.file.stamp);
    await withBlob((blob) => expect(reader.cachedRange(blob, 0, 1000, 4 * MiB)).to.not.equal(undefined));
    const fd = fs.openSync(file, "r+");
    fs.writeSync(fd, Buffer.from("tampered"), 0, 8, 10); // same size, same inode
    fs.closeSync(fd);
    // The kept file is dropped when its watch reports the write; the next open takes the new stamp.
    await waitFor(() => withBlob((blob) => blob.file.stamp !== stamp), 10_000, "the file's new stamp");
    await withBlob((blob) => {
      expect(reader.cachedRange(blob, 0, 1000, 4 * MiB), "chunks cached under the old stamp").to.equal(undefined);
      expect(reader.cachedRange(blob, 2 * CHUNK_SIZE, 2 * CHUNK_SIZE + 10, 4 * MiB), "untouched chunks too: the stamp covers the file").to.equal(undefined);
    });
  });
});
