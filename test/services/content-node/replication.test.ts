import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import http from "node:http";
import { cidOfBytes } from "../../../sdk/cid";
import { replicaSet } from "../../../sdk/rendezvous";
import { signPeerRequest, signStreamAccess } from "../../../sdk/signatures";
import { makeAudio } from "../../helpers/audio";
import { filesOnDisk, postUpload, startNodes, waitFor, waitForUpload, json, type NodeFixture } from "./fixture";

const R = 2;

describe("content node: replication across 3 nodes", function () {
  this.timeout(120_000);
  let fx: NodeFixture;

  /** node index → CIDs on its disk (read from the dirs, so a stopped node counts too) */
  const holdings = () =>
    fx.dirs.map((dir) => new Set(filesOnDisk(dir).filter((f) => f.startsWith("blobs")).map((f) => path.basename(f))));

  const allCids = () => new Set(holdings().flatMap((s) => [...s]));

  /** Every blob is on exactly its R rendezvous owners, and nowhere else. */
  const placedExactly = () => {
    const held = holdings();
    return [...allCids()].every((cid) => {
      const owners = replicaSet(fx.peers, cid, R).map((u) => fx.peers.indexOf(u)).sort();
      const holders = held.flatMap((s, i) => (s.has(cid) ? [i] : []));
      return JSON.stringify(holders) === JSON.stringify(owners);
    });
  };

  before(async () => {
    fx = await startNodes(3, { replicationFactor: R, repairIntervalMs: 300 });
  });
  after(() => fx.close());

  let trackCid: string;
  /** the node the 302 test stops; the repair test restarts it */
  let down: number;

  it("puts every blob of an upload on exactly R nodes, chosen by rendezvous rank", async () => {
    const mp3 = fs.readFileSync(await makeAudio({ seconds: 4, format: "mp3" }));
    const answer = await postUpload(fx.nodes[0].url, fx.user, "audio", mp3, "a.mp3");
    const upload = await waitForUpload(fx.nodes[0].url, answer.body[0].id);
    expect(upload.status).to.equal("done");
    trackCid = upload.results["320"];
    const art = await (await import("sharp")).default({ create: { width: 300, height: 300, channels: 3, background: "#336699" } }).png().toBuffer();
    const image = await postUpload(fx.nodes[1].url, fx.user, "img_square", art, "art.png");
    expect(image.status).to.equal(200);
    // the analysis adds the waveform blob after the transcode
    await waitFor(async () => ["done", "error"].includes((await json(await fetch(`${fx.nodes[0].url}/uploads/${upload.id}`))).audio_analysis_status), 30_000, "the analysis");
    await waitFor(placedExactly, 20_000, "every blob on exactly its R owners");
    expect(allCids().size).to.equal(7); // orig + 320 (= preview, shorter than 30 s) + waveform + png + 3 variants
    // Any node serves the variants by upload id, reading the record from the node that took it.
    for (const node of fx.nodes) {
      const res = await fetch(`${node.url}/content/${image.body[0].id}/480x480.jpg`);
      expect(res.status).to.equal(200);
      expect(res.headers.get("etag")).to.equal(`"${image.body[0].results["480x480.jpg"]}"`);
    }
  });

  it("answers 302 to a holder when it lacks a blob, and the stream still plays with one owner down", async () => {
    const held = holdings();
    const holders = [0, 1, 2].filter((i) => held[i].has(trackCid));
    expect(holders).to.have.length(R);
    const up = holders[1];
    down = holders[0];
    const lacking = [0, 1, 2].find((i) => !holders.includes(i))!;
    await fx.stopNode(down);
    const signature = await signStreamAccess(fx.discovery, { cid: trackCid, timestamp: Date.now() });
    const path_ = `/tracks/cidstream/${trackCid}?signature=${encodeURIComponent(signature)}`;
    const res = await fetch(fx.nodes[lacking].url + path_, { redirect: "manual" });
    expect(res.status).to.equal(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.origin).to.equal(fx.peers[up]);
    expect(location.searchParams.get("skip")).to.equal(fx.peers[lacking]);
    const followed = await fetch(fx.nodes[lacking].url + path_, { headers: { range: "bytes=0-99" } });
    expect(followed.status).to.equal(206);
    expect((await followed.arrayBuffer()).byteLength).to.equal(100);
    // A hop marked noredirect never bounces again.
    const hop = await fetch(`${fx.nodes[lacking].url}/content/${trackCid}?noredirect=1`, { redirect: "manual" });
    expect(hop.status).to.equal(404);
  });

  it("restores R copies by repair after a stopped node restarts", async () => {
    const live = [0, 1, 2].filter((i) => i !== down);
    // Upload, while it is down, a file that belongs on the stopped node.
    let bytes: Buffer | undefined;
    for (let f = 500; !bytes; f += 37) {
      const candidate = fs.readFileSync(await makeAudio({ seconds: 2, format: "mp3", frequency: f }));
      if (replicaSet(fx.peers, await cidOfBytes(candidate), R).includes(fx.peers[down])) bytes = candidate;
    }
    const cid = await cidOfBytes(bytes);
    const answer = await postUpload(fx.nodes[live[0]].url, fx.user, "audio", bytes, "while-down.mp3");
    expect((await waitForUpload(fx.nodes[live[0]].url, answer.body[0].id)).status).to.equal("done");
    await new Promise((r) => setTimeout(r, 1000)); // a few repair rounds with the owner unreachable
    expect(holdings()[down].has(cid)).to.equal(false);
    expect(live.some((i) => holdings()[i].has(cid))).to.equal(true); // kept as a fallback meanwhile

    await fx.restartNode(down);
    expect(fx.nodes[down].url).to.equal(fx.peers[down]);
    await waitFor(placedExactly, 20_000, "repair to restore exactly R copies");
    expect(holdings()[down].has(cid)).to.equal(true);
  });

  it("reports its peers' health in /health_check", async () => {
    await waitFor(async () => {
      const { data } = await json(await fetch(`${fx.nodes[0].url}/health_check`));
      return fx.peers.slice(1).every((p) => data.peerHealths[p]?.healthy === true);
    }, 10_000, "peerHealths to list both peers as healthy");
  });

  it("refuses a pushed blob that does not belong on the node (409) and keeps nothing", async () => {
    const bytes = Buffer.from("not on this node");
    const cid = await cidOfBytes(bytes);
    const outsider = [0, 1, 2].find((i) => !replicaSet(fx.peers, cid, R).includes(fx.peers[i]))!;
    const before = filesOnDisk(fx.dirs[outsider]);
    const url = `${fx.peers[outsider]}/internal/blobs/${cid}`;
    const signed = await signPeerRequest(fx.wallets[(outsider + 1) % 3], "PUT", url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(url, { method: "PUT", headers: signed }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
      req.end(bytes);
    });
    expect(status).to.equal(409);
    expect(filesOnDisk(fx.dirs[outsider])).to.deep.equal(before);
  });
});
