import { expect } from "chai";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider } from "ethers";
import { startDevnet, type Devnet } from "../../devnet";
import { waitUntil } from "../../devnet/health";
import { createAsix } from "../../sdk";
import { cidOfBytes } from "../../sdk/cid";
import { startTestDevnet } from "../helpers/devnet";
import { makeAudio } from "../helpers/audio";
import { canListen, freePortBase } from "../helpers/ports";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "asix-lifecycle-"));

describe("devnet topology: five content nodes, two discovery nodes, replication 3", function () {
  this.timeout(240_000);
  let devnet: Devnet;
  before(async () => {
    devnet = await startTestDevnet({ contentNodes: 5, discoveryNodes: 2, replicationFactor: 3, logs: false });
  });
  after(async () => {
    await devnet?.stop();
  });

  it("registers every node with its own operator and stake", async () => {
    expect(devnet.contentNodes).to.have.length(5);
    expect(devnet.discoveryNodes).to.have.length(2);
    const operators = [...devnet.contentNodes, ...devnet.discoveryNodes].map((n) => n.delegateOwnerWallet);
    expect(new Set(operators).size).to.equal(7);
    const health = (await (await fetch(`${devnet.services.discovery[1]}/health_check`)).json()) as { data: { network: { content_nodes: unknown[] } } };
    expect(health.data.network.content_nodes).to.have.length(5);
  });

  it("keeps three copies of an upload, and every content node and discovery node reads it", async () => {
    const artist = createAsix({ network: devnet, wallet: devnet.accounts[16].privateKey });
    await artist.users.create({ handle: "topology" });
    const { trackId } = await artist.tracks.upload(await makeAudio({ seconds: 3, format: "mp3" }), { title: "Five nodes" });
    const cid = (await artist.tracks.get(trackId)).trackCid;
    const holders = async () => {
      const held = await Promise.all(devnet.services.contentNodes.map(async (u) => (await fetch(`${u}/content/${cid}`, { redirect: "manual" })).status === 200));
      return held.filter(Boolean).length;
    };
    await waitUntil(async () => (await holders()) >= 3, "the track never reached three copies", 60_000);
    expect(await holders()).to.equal(3);
    for (const url of devnet.services.contentNodes) {
      const res = await fetch(`${url}/content/${cid}`);
      expect(res.status, url).to.equal(200);
      expect(await cidOfBytes(new Uint8Array(await res.arrayBuffer())), url).to.equal(cid);
    }
    for (const url of devnet.services.discovery) {
      const reader = createAsix({ network: { discoveryUrl: url, dataChain: { chainId: devnet.dataChain.chainId, entityManagerAddress: devnet.dataChain.contracts.entityManager } }, selection: false });
      expect((await reader.tracks.get(trackId)).trackCid, url).to.equal(cid);
    }
  });

  it("refuses more content nodes than it has operators, and a replication above the node count", async () => {
    for (const [options, message] of [
      [{ contentNodes: 8 }, "contentNodes must be 1..7"],
      [{ contentNodes: 2, replicationFactor: 3 }, "replicationFactor must be 1..2 (the number of content nodes)"],
      [{ only: ["content"], without: ["identity"] }, "give only or without, not both"],
      [{ without: ["explorer"] }, 'unknown devnet service "explorer" (one of identity, discovery, content)'],
      [{ blockTime: -1 }, "blockTime must be 0 (instant) or an interval in ms up to 3600000"],
    ] as const) {
      const err = await startDevnet({ dir: tmp(), ...(options as object) }).catch((e) => e);
      expect(err.code).to.equal("INVALID_INPUT");
      expect(err.message).to.equal(message);
    }
  });
});

describe("devnets side by side, on port bases", function () {
  this.timeout(240_000);
  let a: Devnet;
  let b: Devnet;
  let baseA: number;
  let baseB: number;
  before(async () => {
    [baseA, baseB] = [await freePortBase(), await freePortBase()];
    a = await startDevnet({ dir: tmp(), portBase: baseA, persist: true, contentNodes: 1, without: ["identity"], blockTime: 100, logs: false });
    b = await startDevnet({ dir: tmp(), portBase: baseB, persist: true, contentNodes: 1, logs: false });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
  });

  it("runs two devnets in different dirs with different port bases; one without identity, with a block time", async () => {
    expect([a.ethChain.url, a.dataChain.url, a.services.discovery[0], a.services.contentNodes[0], a.control]).to.deep.equal(
      [baseA, baseA + 1, baseA + 10, baseA + 20, baseA + 4].map((p) => `http://127.0.0.1:${p}`),
    );
    expect([b.ethChain.url, b.services.identity, b.services.contentNodes[0]]).to.deep.equal([baseB, baseB + 2, baseB + 20].map((p) => `http://127.0.0.1:${p}`));
    expect(a.services.identity).to.equal("");
    expect(await canListen(baseA + 2), "no identity service on devnet A").to.equal(true);
    for (const url of [...a.services.contentNodes, ...b.services.contentNodes, b.services.identity]) expect((await fetch(`${url}/health_check`)).status, url).to.equal(200);

    // A's chains make blocks on their own; B's only for transactions.
    const eth = (d: Devnet) => new JsonRpcProvider(d.ethChain.url, d.ethChain.chainId, { staticNetwork: true });
    const [ethA, ethB] = [eth(a), eth(b)];
    try {
      const [startA, startB] = [await ethA.getBlockNumber(), await ethB.getBlockNumber()];
      await waitUntil(async () => (await ethA.getBlockNumber()) >= startA + 3, "devnet A's eth chain made no blocks on its own");
      expect(await ethB.getBlockNumber()).to.equal(startB);
    } finally {
      ethA.destroy();
      ethB.destroy();
    }
  });

  it("a taken port of the base's map is a CONFLICT naming it, and every other port is freed", async () => {
    const base = await freePortBase();
    const held = net.createServer();
    await new Promise<void>((resolve) => held.listen(base + 20, "127.0.0.1", resolve));
    try {
      const err = await startDevnet({ dir: tmp(), portBase: base, contentNodes: 1, logs: false }).catch((e) => e);
      expect(err.code).to.equal("CONFLICT");
      expect(err.message).to.equal(`port ${base + 20} is in use: cannot start the content node 1 there`);
      for (const port of [base, base + 1, base + 2, base + 3]) expect(await canListen(port), `port ${port} is free again`).to.equal(true);
    } finally {
      await new Promise((resolve) => held.close(resolve));
    }
  });

  it("the control API answers only loopback clients that are not browsers, and refuses a bad fault", async () => {
    const control = a.control!;
    const fromPage = await fetch(`${control}/nodes/content-1/pause`, { method: "POST", headers: { origin: "https://evil.example" } });
    expect(fromPage.status).to.equal(401);
    // fetch will not send another Host; a DNS-rebound page's request would name its own.
    const rebound = await new Promise<number>((resolve, reject) => {
      http.get(`${control}/status`, { headers: { host: "evil.example" } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).on("error", reject);
    });
    expect(rebound).to.equal(401);
    const bad = await fetch(`${control}/nodes/content-1/slow`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ latencyMs: "soon" }) });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).to.equal("INVALID_INPUT");
    expect(a.contentNode(0).fault()).to.equal(undefined);
  });
});
