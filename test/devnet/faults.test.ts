import { expect } from "chai";
import type { Devnet } from "../../devnet";
import { createAsix, isAsixError } from "../../sdk";
import { startTestDevnet } from "../helpers/devnet";
import { makeAudio } from "../helpers/audio";

/**
 * Faults on demand: a devnet node can be paused (it answers nothing until resumed) or slowed
 * (latency per request, a cap on body bytes per second). Timings here are only lower bounds the
 * fault guarantees, or a client timeout against a node that by construction never answers.
 */
describe("devnet node faults: pause, slow, resume", function () {
  this.timeout(120_000);
  let devnet: Devnet;
  let cid: string;

  before(async () => {
    devnet = await startTestDevnet({ contentNodes: 1, replicationFactor: 1 });
    const artist = createAsix({ network: devnet, wallet: devnet.accounts[14].privateKey });
    await artist.users.create({ handle: "faulty" });
    const { trackId } = await artist.tracks.upload(await makeAudio({ seconds: 8, format: "mp3" }), { title: "Paced" });
    cid = (await artist.tracks.get(trackId)).trackCid;
  });
  after(async () => {
    await devnet?.stop();
  });

  it("a paused discovery node answers nothing until resumed; a request held by the pause is answered then", async () => {
    const node = devnet.discoveryNode(0);
    node.pause();
    try {
      const held = fetch(`${node.url}/v1/users/handle/faulty`);
      const refused = await fetch(`${node.url}/health_check`, { signal: AbortSignal.timeout(300) }).catch((e: Error) => e);
      expect(refused).to.have.property("name", "TimeoutError");
      node.resume();
      const res = await held;
      expect(res.status).to.equal(200);
      expect(((await res.json()) as { data: { handle: string } }).data.handle).to.equal("faulty");
    } finally {
      node.resume();
    }
  });

  it("a paused content node stops a body in flight; resume lets it finish with every byte", async () => {
    // Paced first so the body is still in flight when the pause lands; were the pause ignored, the
    // rest would go out unpaced (the pause replaces the slow) and finish at once.
    const node = devnet.contentNode(0);
    const whole = Buffer.from(await (await fetch(`${node.url}/content/${cid}`)).arrayBuffer());
    node.slow({ bytesPerSecond: 64 * 1024 });
    const res = await fetch(`${node.url}/content/${cid}`);
    node.pause();
    try {
      const reading = res.arrayBuffer();
      const stuck = await Promise.race([reading.then(() => "finished"), new Promise((r) => setTimeout(r, 300, "held"))]);
      expect(stuck).to.equal("held");
      node.resume();
      expect(Buffer.from(await reading).equals(whole)).to.equal(true);
    } finally {
      node.resume();
    }
  });

  it("a slowed content node sends a blob no faster than its byte rate, and each request waits its latency", async () => {
    const node = devnet.contentNode(0);
    const size = Number((await fetch(`${node.url}/content/${cid}`, { method: "HEAD" })).headers.get("content-length"));
    const bytesPerSecond = Math.ceil(size / 0.6);
    node.slow({ latencyMs: 200, bytesPerSecond });
    try {
      let began = performance.now();
      expect((await fetch(`${node.url}/health_check`)).status).to.equal(200);
      expect(performance.now() - began).to.be.at.least(195);
      began = performance.now();
      const body = await (await fetch(`${node.url}/content/${cid}`)).arrayBuffer();
      expect(body.byteLength).to.equal(size);
      // Paced in tenth-of-a-second slices: the last slice's wait comes after the client has it.
      expect(performance.now() - began).to.be.at.least(200 + 600 - 100 - 5);
    } finally {
      node.resume();
    }
  });

  it("refuses a slow fault without a rate or latency, or with a rate below 10 bytes/s", () => {
    const node = devnet.contentNode(0);
    for (const params of [{}, { bytesPerSecond: 5 }, { latencyMs: -1 }]) {
      let thrown: unknown;
      try {
        node.slow(params);
      } catch (e) {
        thrown = e;
      }
      expect(isAsixError(thrown) && thrown.code, JSON.stringify(params)).to.equal("INVALID_INPUT");
    }
  });
});
