import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDiskAccess } from "../../../devnet/services/content-node/diskAccess";
import { waitFor } from "./fixture";

describe("content node: blob files kept open between reads", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-disk-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("hands out the same kept file again while nothing changes it", async () => {
    const disk = createDiskAccess(5000);
    const file = path.join(dir, "blob");
    fs.writeFileSync(file, Buffer.alloc(4096, 1));
    const first = await disk.open(file, 4096);
    await disk.close(first);
    const again = await disk.open(file, 4096);
    expect(again).to.equal(first);
    await disk.close(again);
    await disk.closeAll();
  });

  for (const [change, act] of [
    ["written in place", (f: string) => fs.writeFileSync(f, Buffer.alloc(10, 2), { flag: "r+" })],
    ["touched", (f: string) => fs.utimesSync(f, new Date(0), new Date(0))],
    ["replaced by a rename over its path", (f: string) => (fs.writeFileSync(`${f}.new`, Buffer.alloc(4096, 3)), fs.renameSync(`${f}.new`, f))],
  ] as const) {
    it(`opens a kept file afresh, with a new stamp, once it is ${change}`, async () => {
      const disk = createDiskAccess(5000);
      const file = path.join(dir, "blob");
      fs.writeFileSync(file, Buffer.alloc(4096, 1));
      const first = await disk.open(file, 4096);
      await disk.close(first);
      act(file);
      // the change is seen one event-loop turn later (inotify), not at a fixed time
      await waitFor(async () => {
        const f = await disk.open(file, 4096);
        await disk.close(f);
        return f !== first;
      }, 5000, "the kept file to be dropped");
      const fresh = await disk.open(file, 4096);
      expect(fresh.stamp).to.not.equal(first.stamp);
      expect((await disk.read(fresh, 10, 0)).equals(fs.readFileSync(file).subarray(0, 10))).to.equal(true);
      await disk.close(fresh);
      await disk.closeAll();
    });
  }
});
