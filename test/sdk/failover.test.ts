import { expect } from "chai";
import type { Devnet, RunningNodeHandle } from "../../devnet";
import { createAsix, isAsixError, type Asix } from "../../sdk";
import { cidOfStream } from "../../sdk/cid";
import { uploadFile } from "../../sdk/content/upload";
import { getUser } from "../../sdk/users/getUser";
import type { SelectionEvent } from "../../sdk/selection";
import { startTestDevnet } from "../helpers/devnet";
import { makeAudio } from "../helpers/audio";

/**
 * Failover against real nodes: one devnet (3 content nodes, 2 discovery nodes) for the whole file,
 * whose nodes are stopped under a working client. Every stopped node is restarted before the next
 * test, except in the last, which stops every discovery node.
 */
describe("failover: the SDK survives stopped nodes", function () {
  this.timeout(180_000);
  let devnet: Devnet;
  let artist: Asix;
  const events: SelectionEvent[] = [];
  let longTrack: { trackId: number | string; cid: string };

  const handleOf = (kind: "content" | "discovery", url: string): RunningNodeHandle => {
    const urls = kind === "content" ? devnet.services.contentNodes : devnet.services.discovery;
    const i = urls.findIndex((u) => new URL(u).origin === new URL(url).origin);
    expect(i, `${url} is a devnet ${kind} node`).to.be.at.least(0);
    return kind === "content" ? devnet.contentNode(i) : devnet.discoveryNode(i);
  };
  const eventsOf = (type: SelectionEvent["type"], service: SelectionEvent["service"]) => events.filter((e) => e.type === type && e.service === service);

  before(async () => {
    devnet = await startTestDevnet({ contentNodes: 3, discoveryNodes: 2 });
    artist = createAsix({ network: devnet, wallet: devnet.accounts[14].privateKey, onEvent: (e) => events.push(e) });
    await artist.users.create({ handle: "failover" });
    // 1.6 MB at 320 kbit/s: long enough that a stream is still arriving when its node is stopped.
    const audio = await makeAudio({ seconds: 40, format: "mp3" });
    const { trackId } = await artist.tracks.upload(audio, { title: "Long tone" });
    longTrack = { trackId, cid: (await artist.tracks.get(trackId)).trackCid };
  });
  after(async () => {
    await devnet?.stop();
  });
  beforeEach(() => {
    events.length = 0;
  });

  it("runs two discovery nodes, each registered on chain and indexing the same chain", async () => {
    expect(devnet.services.discovery).to.have.length(2);
    const healths = await Promise.all(devnet.services.discovery.map(async (u) => (await (await fetch(`${u}/health_check`)).json()) as { signer: string; data: { healthy: boolean; network: { discovery_nodes_with_owner: { endpoint: string }[] } } }));
    expect(new Set(healths.map((h) => h.signer)).size).to.equal(2);
    for (const h of healths) {
      expect(h.data.healthy).to.equal(true);
      expect(h.data.network.discovery_nodes_with_owner.map((n) => n.endpoint)).to.have.members(devnet.services.discovery);
    }
    // Both indexed the artist's track.
    for (const url of devnet.services.discovery) {
      const reader = createAsix({ network: { discoveryUrl: url, dataChain: { chainId: devnet.dataChain.chainId, entityManagerAddress: devnet.dataChain.contracts.entityManager } }, selection: false });
      expect((await reader.tracks.get(longTrack.trackId)).trackCid).to.equal(longTrack.cid);
    }
  });

  it("finds the discovery nodes from the on-chain registry when none is configured", async () => {
    const { chainId, url: rpcUrl, contracts } = devnet.ethChain;
    const reader = createAsix({
      network: { dataChain: { chainId: devnet.dataChain.chainId, entityManagerAddress: devnet.dataChain.contracts.entityManager }, ethChain: { chainId, rpcUrl, contracts } },
      onEvent: (e) => events.push(e),
    });
    expect((await reader.tracks.get(longTrack.trackId)).trackCid).to.equal(longTrack.cid);
    expect(devnet.services.discovery).to.include(eventsOf("select", "discovery")[0]?.node);
  });

  it("stops the selected discovery node mid-session; the next read succeeds on the other", async () => {
    const listener = createAsix({ network: devnet, onEvent: (e) => events.push(e) });
    await listener.tracks.get(longTrack.trackId);
    const [selected] = eventsOf("select", "discovery");
    expect(selected, "a discovery node was selected").to.exist;
    const stopped = handleOf("discovery", selected.node);
    await stopped.stop();
    try {
      const track = await listener.tracks.get(longTrack.trackId);
      expect(track.trackCid).to.equal(longTrack.cid);
      expect(eventsOf("failover", "discovery").map((e) => e.node)).to.deep.equal([selected.node]);
      const reselected = eventsOf("select", "discovery").at(-1)!;
      expect(reselected.node).to.not.equal(selected.node);
      expect(devnet.services.discovery).to.include(reselected.node);
    } finally {
      await stopped.restart();
    }
  });

  it("stops the selected discovery node; a write sent next goes to the other, once", async () => {
    await artist.tracks.get(longTrack.trackId);
    const selected = artist.client.selection.discovery.node!;
    const stopped = handleOf("discovery", selected);
    await stopped.stop();
    try {
      await artist.tracks.save(longTrack.trackId);
      expect(eventsOf("failover", "discovery").map((e) => e.node)).to.deep.equal([selected]);
      expect(artist.client.selection.discovery.node).to.not.equal(selected);
      const favorites = await artist.tracks.favorites(longTrack.trackId);
      expect(favorites.map((u) => u.handle)).to.deep.equal(["failover"]);
    } finally {
      await stopped.restart();
    }
  });

  it("stops a content node mid-stream; the stream completes from another with identical bytes", async () => {
    // Every node sends at 64 kB/s until the first chunk is in, so the 1.6 MB track cannot have
    // arrived whole (in socket buffers) by the time its node stops, however large those buffers are.
    const nodes = devnet.services.contentNodes.map((u) => handleOf("content", u));
    for (const node of nodes) node.slow({ bytesPerSecond: 64 * 1024 });
    const { stream, url } = await artist.tracks.stream(longTrack.trackId);
    const serving = handleOf("content", url);
    const chunks: Uint8Array[] = [];
    const reader = stream.getReader();
    try {
      const first = await reader.read();
      expect(first.done).to.equal(false);
      chunks.push(first.value!);
      // The others serve the rest at full speed; the serving node stays slow until it is stopped.
      for (const node of nodes) if (node.url !== serving.url) node.resume();
      await serving.stop();
      for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
      expect(await cidOfStream(chunks)).to.equal(longTrack.cid);
      expect(eventsOf("failover", "content").map((e) => [e.node, e.reason])).to.deep.equal([[new URL(url).origin, "stream broken"]]);
      const resumedOn = eventsOf("select", "content").find((e) => e.reason === "resume");
      expect(resumedOn?.node).to.be.a("string").and.not.equal(new URL(url).origin);
    } finally {
      for (const node of nodes) node.resume();
      await serving.restart();
    }
  });

  it("stops a content node mid-upload; the upload completes on another", async () => {
    const audio = await makeAudio({ seconds: 20, format: "wav" });
    let stopping: Promise<void> | undefined;
    let stoppedNode: string | undefined;
    const upload = await uploadFile(artist.client, {
      file: audio,
      template: "audio",
      onProgress: (p) => {
        if (stopping || p.phase !== "upload" || p.progress >= 1) return;
        stoppedNode = eventsOf("select", "content")[0]?.node;
        stopping = handleOf("content", stoppedNode!).stop();
      },
    });
    expect(stopping, "the upload was under way when its node stopped").to.exist;
    await stopping;
    try {
      expect(upload.status).to.equal("done");
      expect(upload.contentNode).to.not.equal(stoppedNode);
      expect(eventsOf("failover", "content").map((e) => e.node)).to.deep.equal([stoppedNode]);
      const res = await fetch(`${upload.contentNode}/content/${upload.results["320"]}`);
      expect(res.status).to.equal(200);
    } finally {
      await handleOf("content", stoppedNode!).restart();
    }
  });

  it("stops every discovery node; a read fails with NODE_UNAVAILABLE within its timeout", async () => {
    const listener = createAsix({ network: devnet, onEvent: (e) => events.push(e) });
    await listener.tracks.get(longTrack.trackId);
    for (let i = 0; i < devnet.services.discovery.length; i++) await devnet.discoveryNode(i).stop();
    const timeoutMs = 5000;
    const started = Date.now();
    const outcome = await getUser(listener.client, 1, { timeoutMs }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsed = Date.now() - started;
    expect(isAsixError(outcome, "NODE_UNAVAILABLE"), String(outcome)).to.equal(true);
    expect(elapsed).to.be.below(timeoutMs);
    expect(eventsOf("retry", "discovery").length).to.be.at.least(1);
  });
});
