import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { startDevnet, type Devnet } from "../../devnet";
import { createAsix } from "../../sdk";
import { makeAudio } from "../helpers/audio";

/**
 * On a devnet with three content nodes (two copies of each blob), one node's copy of a blob is
 * corrupted, truncated or deleted behind its back. Clients asking that node still get the right
 * bytes (from a replica), and the devnet's own repair loop puts a good copy back.
 */
describe("faults: damaged blobs on one content node", function () {
  this.timeout(180_000);
  let devnet: Devnet;
  let dir: string;
  /** three different blobs of one upload, with their bytes as first served */
  const blobs: { cid: string; bytes: Buffer }[] = [];

  const nodeDir = (i: number) => path.join(dir, "data", `content-node-${i + 1}`);
  const blobPath = (i: number, cid: string) => path.join(nodeDir(i), "blobs", cid.slice(-2), cid);
  const holders = (cid: string) => [0, 1, 2].filter((i) => fs.existsSync(blobPath(i, cid)));

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-faults-blobs-"));
    devnet = await startDevnet({ dir, contentNodes: 3 });
    const artist = createAsix({ network: devnet, wallet: devnet.accounts[14].privateKey });
    await artist.users.create({ handle: "fragile" });
    const wav = await makeAudio({ seconds: 3, format: "wav" });
    const cover = await sharp({ create: { width: 600, height: 600, channels: 3, background: "#aa5500" } }).png().toBuffer();
    const { trackId } = await artist.tracks.upload(wav, { title: "Fragile" }, { cover });
    const track = await artist.tracks.get(trackId);
    const art = await fetch(track.artwork["480x480"]);
    const artCid = art.headers.get("etag")!.replaceAll('"', "");
    for (const cid of [track.trackCid, track.origFileCid, artCid]) {
      const res = await fetch(`${devnet.services.contentNodes[0]}/content/${cid}`);
      expect(res.status).to.equal(200);
      blobs.push({ cid, bytes: Buffer.from(await res.arrayBuffer()) });
    }
    expect(new Set(blobs.map((b) => b.cid)).size).to.equal(3);
    // Replication settles: each blob on exactly two nodes.
    await waitFor(() => blobs.every((b) => holders(b.cid).length === 2), "each blob on two nodes");
  });
  after(async () => {
    await devnet?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Damage blob `n` on one of its holders; its bytes still come back whole from that node, then repair restores the file. */
  async function damageServeRepair(n: number, damage: (file: string) => void): Promise<void> {
    const { cid, bytes } = blobs[n];
    const node = holders(cid)[0];
    const url = `${devnet.contentNode(node).url}/content/${cid}`;
    damage(blobPath(node, cid));
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).to.equal(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes), "the bytes served for the damaged blob").to.equal(true);
    await waitFor(() => {
      try {
        return fs.readFileSync(blobPath(node, cid)).equals(bytes);
      } catch {
        return false;
      }
    }, "repair to restore the copy");
    const direct = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(10_000) });
    expect(direct.status, "the repaired node serves the blob itself").to.equal(200);
    expect(Buffer.from(await direct.arrayBuffer()).equals(bytes)).to.equal(true);
  }

  it("a corrupted blob (same size, bytes changed) is served from a replica, then repaired", async () => {
    await damageServeRepair(0, (file) => {
      const fd = fs.openSync(file, "r+");
      fs.writeSync(fd, Buffer.from("corrupt!"), 0, 8, 100);
      fs.closeSync(fd);
    });
  });

  it("a truncated blob is served from a replica, then repaired", async () => {
    await damageServeRepair(1, (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)));
  });

  it("a deleted blob (its row still there) is served from a replica, then repaired", async () => {
    await damageServeRepair(2, (file) => fs.rmSync(file));
  });
});
