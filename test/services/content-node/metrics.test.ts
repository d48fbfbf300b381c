import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { renderAudioFixture } from "../../../devnet/fixtures/audio";
import { postUpload, startNodes, waitFor, waitForUpload, type NodeFixture } from "./fixture";

/** One metric's samples from Prometheus text: `name{labels} value` lines whose name is `name`. */
function samples(text: string, name: string): number[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .map((l) => Number(l.split(" ").pop()));
}

describe("content node: transcode and replication metrics", function () {
  this.timeout(120_000);
  let fx: NodeFixture;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-content-metrics-"));
  const scrape = async (i: number) => (await fetch(`${fx.nodes[i].url}/metrics`)).text();

  before(async () => {
    fx = await startNodes(2);
  });
  after(async () => {
    await fx?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("has an empty replication backlog and no transcode times before any upload", async () => {
    const text = await scrape(0);
    expect(samples(text, "asix_content_replication_backlog"), text).to.deep.equal([0]);
    expect(samples(text, "asix_content_transcode_duration_seconds_count"), text).to.deep.equal([0]);
  });

  it("times each finished transcode in a histogram, and drains the replication backlog once the peer holds the replicas", async () => {
    const wav = fs.readFileSync(await renderAudioFixture(path.join(dir, "tone.wav"), { kind: "tone", lufs: -16, seconds: 4 }));
    const answer = await postUpload(fx.nodes[0].url, fx.user, "audio", wav, "tone.wav");
    expect(answer.status).to.equal(200);
    const upload = await waitForUpload(fx.nodes[0].url, answer.body[0].id);
    expect(upload.status).to.equal("done");

    const text = await scrape(0);
    expect(samples(text, "asix_content_transcode_duration_seconds_count"), text).to.deep.equal([1]);
    const [sum] = samples(text, "asix_content_transcode_duration_seconds_sum");
    expect(sum).to.be.greaterThan(0).and.lessThan(60);
    // every blob of the upload is on both nodes (replication factor 2), and nothing is left to place
    const cids = [upload.orig_file_cid, ...Object.values(upload.results as Record<string, string>)];
    await waitFor(async () => {
      const held = await Promise.all(cids.map(async (cid) => (await fetch(`${fx.nodes[1].url}/ipfs/${cid}`, { method: "HEAD", redirect: "manual" })).status === 200));
      return held.every(Boolean) && samples(await scrape(0), "asix_content_replication_backlog")[0] === 0;
    }, 30_000, "the replicas on the peer and an empty backlog");
  });
});
