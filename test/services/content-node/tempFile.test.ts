import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { TempFileWriter } from "../../../devnet/services/content-node/tempFile";

describe("content node: the upload's temp file", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-tempfile-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Write `chunks` as ingest does: queue each, wait only when the writer asks to. */
  async function writeAll(out: TempFileWriter, chunks: Buffer[]): Promise<void> {
    for (const chunk of chunks) {
      const backlog = out.write(chunk);
      if (backlog) await backlog;
    }
    await out.finish();
  }

  it("writes every byte in order, whatever the chunk sizes and however far the disk falls behind", async () => {
    const bytes = randomBytes(12 * 1024 * 1024 + 17);
    const chunks: Buffer[] = [];
    for (let at = 0, i = 0; at < bytes.length; i++) {
      const n = [1, 65536, 7, 300_000, 0, 4096][i % 6];
      chunks.push(bytes.subarray(at, at + n));
      at += n;
    }
    const file = path.join(dir, "a");
    const out = await TempFileWriter.create(file);
    await writeAll(out, chunks);
    expect(out.size).to.equal(bytes.length);
    await out.sync();
    expect(fs.readFileSync(file).equals(bytes)).to.equal(true);
  });

  it("flushes to disk in the background while bytes still arrive, so the last fsync has little left", async () => {
    const chunk = randomBytes(64 * 1024);
    const file = path.join(dir, "b");
    const out = await TempFileWriter.create(file);
    await writeAll(out, Array.from({ length: 640 }, () => chunk)); // 40 MiB
    // one flush per 8 MiB written, never two at once (a slow disk may still be on the first)
    expect(out.flushes).to.be.within(1, 5);
    await out.sync();
    expect(fs.statSync(file).size).to.equal(40 * 1024 * 1024);
  });

  it("does not flush a small file before its one fsync", async () => {
    const out = await TempFileWriter.create(path.join(dir, "c"));
    await writeAll(out, [randomBytes(1024 * 1024)]);
    await out.sync();
    expect(out.flushes).to.equal(0);
  });

  it("refuses an existing path, and refuses writes once abandoned", async () => {
    fs.writeFileSync(path.join(dir, "d"), "x");
    await TempFileWriter.create(path.join(dir, "d")).then(
      () => expect.fail("opened an existing file"),
      (err: NodeJS.ErrnoException) => expect(err.code).to.equal("EEXIST"),
    );
    const out = await TempFileWriter.create(path.join(dir, "e"));
    out.write(randomBytes(1000));
    await out.abort();
    await out.write(randomBytes(10))!.then(
      () => expect.fail("wrote after abort"),
      (err: Error) => expect(err.message).to.match(/abandoned/),
    );
    await out.finish().then(
      () => expect.fail("finished after abort"),
      (err: Error) => expect(err.message).to.match(/abandoned/),
    );
  });
});
