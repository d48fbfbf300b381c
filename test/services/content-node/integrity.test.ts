import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { cidOfBytes } from "../../../sdk/cid";
import { rendezvousRank, replicaSet } from "../../../sdk/rendezvous";
import { signPeerRequest } from "../../../sdk/signatures";
import { postUpload, startNodes, waitFor, type NodeFixture } from "./fixture";

const R = 2;

/**
 * A damaged or missing copy on one node is never served: the client is redirected to a sound
 * replica, and repair puts a good copy back. Each case damages a fresh blob on one of its owners.
 */
describe("content node: blob integrity and isolation", function () {
  this.timeout(60_000);
  let fx: NodeFixture;

  before(async () => {
    // Repair runs at start and then rarely, so each test sees the damage before repair does, and
    // triggers repair itself by restarting the healthy owner.
    fx = await startNodes(3, { replicationFactor: R, repairIntervalMs: 3_600_000, readTimeoutMs: 2000 });
  });
  after(() => fx.close());

  const blobPath = (node: number, cid: string) => path.join(fx.dirs[node], "blobs", cid.slice(-2), cid);

  interface Placed {
    bytes: Buffer;
    cid: string;
    /** node indexes: the two owners, in rendezvous rank order, and the node that does not hold it */
    owners: number[];
    outsider: number;
  }

  /** A 600 kB "png" (three chunks) pushed to both of its owners, as replication would. */
  async function place(): Promise<Placed> {
    const bytes = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex") /* a PNG signature: peers store only media */, randomBytes(600_000)]);
    const cid = await cidOfBytes(bytes);
    const owners = replicaSet(fx.peers, cid, R).map((u) => fx.peers.indexOf(u));
    for (const o of owners) {
      const url = `${fx.peers[o]}/internal/blobs/${cid}`;
      const from = fx.wallets[(o + 1) % 3];
      const res = await fetch(url, { method: "PUT", body: bytes, headers: await signPeerRequest(from, "PUT", url) });
      expect(res.status).to.equal(201);
    }
    return { bytes, cid, owners, outsider: [0, 1, 2].find((i) => !owners.includes(i))! };
  }

  const get = (node: number, cid: string, init: RequestInit = {}) =>
    fetch(`${fx.peers[node]}/content/${cid}`, { redirect: "manual", signal: AbortSignal.timeout(10_000), ...init });

  /** The damaged owner answers 302 to the other owner, whose bytes are the right ones. */
  async function expectRedirectToReplica(p: Placed, damaged: number): Promise<void> {
    const res = await get(damaged, p.cid);
    expect(res.status).to.equal(302);
    const healthy = p.owners.find((o) => o !== damaged)!;
    expect(new URL(res.headers.get("location")!).origin).to.equal(fx.peers[healthy]);
    const followed = await fetch(`${fx.peers[damaged]}/content/${p.cid}`, { signal: AbortSignal.timeout(10_000) });
    expect(followed.status).to.equal(200);
    expect(Buffer.from(await followed.arrayBuffer()).equals(p.bytes)).to.equal(true);
  }

  /** Repair (run by the healthy owner, restarted) puts the right bytes back at the damaged owner's path. */
  async function expectRepaired(p: Placed, damaged: number, quarantined = true): Promise<void> {
    const healthy = p.owners.find((o) => o !== damaged)!;
    await fx.stopNode(healthy);
    await fx.restartNode(healthy);
    await waitFor(() => {
      try {
        return fs.statSync(blobPath(damaged, p.cid)).isFile() && fs.readFileSync(blobPath(damaged, p.cid)).equals(p.bytes);
      } catch {
        return false;
      }
    }, 20_000, "repair to restore the damaged copy");
    // The file lands before the node takes the copy back into service (its row is updated after
    // the write): until then it rightly redirects, so wait for it to serve, not for a fixed moment.
    await waitFor(async () => (await get(damaged, p.cid)).status === 200, 20_000, "the repaired node to serve its copy again");
    const res = await get(damaged, p.cid);
    expect(res.status).to.equal(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(p.bytes)).to.equal(true);
    if (quarantined) expect(fs.readdirSync(path.join(fx.dirs[damaged], "quarantine")).some((f) => f.startsWith(p.cid))).to.equal(true);
  }

  it("redirects away from a blob changed on disk (same size) and repair restores it", async () => {
    const p = await place();
    const damaged = p.owners[0];
    const fd = fs.openSync(blobPath(damaged, p.cid), "r+");
    fs.writeSync(fd, Buffer.from("tampered"), 0, 8, 1000);
    fs.closeSync(fd);
    await expectRedirectToReplica(p, damaged);
    await expectRepaired(p, damaged);
  });

  it("never sends a tampered chunk after the first: the response is cut, the next request redirects", async () => {
    const p = await place();
    const damaged = p.owners[0];
    const fd = fs.openSync(blobPath(damaged, p.cid), "r+");
    fs.writeSync(fd, Buffer.from("tampered"), 0, 8, 400_000); // in the second 256 KiB chunk
    fs.closeSync(fd);
    const res = await get(damaged, p.cid);
    expect(res.status).to.equal(200);
    let received: Buffer | undefined;
    try {
      received = Buffer.from(await res.arrayBuffer());
    } catch {
      // the connection was cut before the damaged chunk: what a client must see
    }
    expect(received, "a body with the tampered chunk in it").to.equal(undefined);
    await expectRedirectToReplica(p, damaged);
    await expectRepaired(p, damaged);
  });

  it("redirects away from a truncated blob (no stale Content-Length) and repair restores it", async () => {
    const p = await place();
    const damaged = p.owners[0];
    fs.truncateSync(blobPath(damaged, p.cid), 1000);
    await expectRedirectToReplica(p, damaged);
    await expectRepaired(p, damaged);
  });

  it("redirects away from a directory in a blob's place instead of resetting the connection", async () => {
    const p = await place();
    const damaged = p.owners[0];
    fs.rmSync(blobPath(damaged, p.cid));
    fs.mkdirSync(blobPath(damaged, p.cid));
    await expectRedirectToReplica(p, damaged);
    await expectRepaired(p, damaged);
  });

  it("a FIFO in a blob's place stalls neither its node's reads nor other nodes' image uploads", async () => {
    const p = await place();
    const damaged = p.owners[0];
    fs.rmSync(blobPath(damaged, p.cid));
    execFileSync("mkfifo", [blobPath(damaged, p.cid)]);
    // More concurrent reads than the thread pool has threads: a blocking open would take them all.
    const reads = Array.from({ length: 8 }, () => get(damaged, p.cid).then((r) => r.status));
    const art = await (await import("sharp")).default({ create: { width: 64, height: 64, channels: 3, background: "#884422" } }).png().toBuffer();
    const upload = postUpload(fx.peers[p.outsider], fx.user, "img_square", art, "art.png");
    expect(await Promise.all(reads)).to.deep.equal(Array(8).fill(302));
    expect((await upload).status).to.equal(200);
    await expectRedirectToReplica(p, damaged);
    await expectRepaired(p, damaged);
  });

  it("redirects past a node whose file is gone but whose row remains, to the node that has it", async () => {
    // The owner that ranks first among the outsider's peers loses its file; the outsider must send
    // clients to the other owner, not to the one that only remembers the blob.
    let p = await place();
    for (let tries = 0; rendezvousRank(fx.peers.filter((_, i) => i !== p.outsider), p.cid)[0] !== fx.peers[p.owners[0]]; tries++) {
      expect(tries).to.be.lessThan(50);
      p = await place();
    }
    const lost = p.owners[0];
    const holder = p.owners[1];
    fs.rmSync(blobPath(lost, p.cid));
    const res = await get(p.outsider, p.cid);
    expect(res.status).to.equal(302);
    expect(new URL(res.headers.get("location")!).origin).to.equal(fx.peers[holder]);
    const followed = await fetch(`${fx.peers[p.outsider]}/content/${p.cid}`, { signal: AbortSignal.timeout(10_000) });
    expect(followed.status).to.equal(200);
    expect(Buffer.from(await followed.arrayBuffer()).equals(p.bytes)).to.equal(true);
    await expectRedirectToReplica(p, lost);
    await expectRepaired(p, lost, false);
  });

  it("answers 404, never a redirect loop, when every copy is gone", async () => {
    const p = await place();
    await fx.stopNode(p.owners[1]);
    try {
      fs.rmSync(blobPath(p.owners[0], p.cid));
      const res = await fetch(`${fx.peers[p.outsider]}/content/${p.cid}`, { signal: AbortSignal.timeout(10_000) });
      expect(res.status).to.equal(404);
      expect(new URL(res.url).searchParams.get("skip")).to.equal(null); // answered where it was asked
      const direct = await fetch(`${fx.peers[p.owners[0]]}/content/${p.cid}`, { signal: AbortSignal.timeout(10_000) });
      expect(direct.status).to.equal(404);
    } finally {
      await fx.restartNode(p.owners[1]);
    }
  });
});
