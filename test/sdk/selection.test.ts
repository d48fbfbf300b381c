import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createAsix, isAsixError } from "../../sdk";
import { createClient } from "../../sdk/client";
import { getUser } from "../../sdk/users/getUser";
import { manageEntity } from "../../sdk/writes";
import { PROTOCOL_VERSION, isCompatibleVersion } from "../../sdk/protocol/version";
import { resumableBody } from "../../sdk/selection/resume";
import type { SelectionEvent } from "../../sdk/selection";
import { orderContentNodes } from "../../sdk/content/nodes";
import { rendezvousRank } from "../../sdk/rendezvous";

/**
 * Node selection against real HTTP servers. The servers stand in for third-party discovery nodes
 * that misbehave in ways our own nodes cannot be made to (another protocol version, a stalled
 * indexer, a hang); test/sdk/failover.test.ts covers the same paths with real nodes.
 */

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
interface StandIn {
  url: string;
  /** requests seen, as "METHOD /path" */
  seen: string[];
  close(): Promise<void>;
}

const servers: StandIn[] = [];
async function serve(handler: Handler): Promise<StandIn> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url?.split("?")[0]}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const standIn = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  servers.push(standIn);
  return standIn;
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

/** A discovery node's /health_check data, as sdk/protocol/health describes it. */
const health = (over: Record<string, unknown> = {}) => ({
  data: { healthy: true, service: "discovery-node", version: PROTOCOL_VERSION, block_difference: 0, latest_chain_block: 100, latest_indexed_block: 100, ...over },
});
const user = { data: { id: "7eP5n", handle: "someone", name: "Someone" } };

/** A discovery node stand-in: its health answer, then (optionally after `delayMs`) the user read. */
function discovery(opts: { health?: Record<string, unknown>; healthStatus?: number; delayMs?: number; read?: Handler } = {}): Promise<StandIn> {
  return serve((req, res) => {
    if (req.url?.startsWith("/health_check")) {
      setTimeout(() => json(res, opts.healthStatus ?? 200, health(opts.health)), opts.delayMs ?? 0); // read at each request: a test may change it
    } else if (opts.read) {
      opts.read(req, res);
    } else {
      json(res, 200, user);
    }
  });
}

const dataChain = { chainId: 1056801, entityManagerAddress: "0x5FbDB2315678afecb367f032d93F642f64180aa3" };
function client(discoveryNodes: string[], extra: Partial<Parameters<typeof createClient>[0]> = {}) {
  const events: SelectionEvent[] = [];
  const c = createClient({ network: { discoveryNodes, dataChain }, onEvent: (e) => events.push(e), ...extra });
  return { client: c, events };
}

describe("node selection", () => {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  describe("choosing a discovery node", () => {
    it("prefers the fastest usable node", async () => {
      const slow = await discovery({ delayMs: 200 });
      const fast = await discovery();
      // Warm both connections, so that only the nodes' own speed differs.
      await Promise.all([slow, fast].map(async (n) => (await fetch(`${n.url}/warm`)).arrayBuffer()));
      const { client: c, events } = client([slow.url, fast.url], { selection: { raceWindowMs: 1000 } });
      await getUser(c, 1);
      expect(events.filter((e) => e.type === "select").map((e) => e.node)).to.deep.equal([fast.url]);
      expect(fast.seen).to.include("GET /v1/users/7eP5n");
      expect(slow.seen).to.not.include("GET /v1/users/7eP5n");
    });

    it("rejects a node on an incompatible protocol version", async () => {
      const other = await discovery({ health: { version: "0.6.9" } });
      const ours = await discovery({ delayMs: 20 });
      const { client: c, events } = client([other.url, ours.url]);
      await getUser(c, 1);
      expect(events.find((e) => e.type === "select")?.node).to.equal(ours.url);
      expect(other.seen).to.deep.equal(["GET /health_check"]);
    });

    it("rejects a node too many blocks behind the best one, or behind its chain", async () => {
      const stalled = await discovery({ health: { latest_indexed_block: 50 } });
      const lagging = await discovery({ health: { block_difference: 500 } });
      const current = await discovery({ delayMs: 20 });
      const { client: c, events } = client([stalled.url, lagging.url, current.url], { selection: { maxBlocksBehind: 10 } });
      await getUser(c, 1);
      expect(events.find((e) => e.type === "select")?.node).to.equal(current.url);
    });

    it("moves off the chosen node once a recheck finds it fallen behind", async () => {
      const firstState = { block_difference: 0 };
      const otherState = { block_difference: 500 };
      const first = await discovery({ health: firstState });
      const other = await discovery({ health: otherState });
      const { client: c, events } = client([first.url, other.url], { selection: { recheckMs: 0 } });
      await getUser(c, 1);
      [firstState.block_difference, otherState.block_difference] = [500, 0];
      await getUser(c, 1);
      expect(events.filter((e) => e.type === "select").map((e) => [e.node === first.url ? "first" : "other", e.reason])).to.deep.equal([
        ["first", "first use"],
        ["other", "recheck"],
      ]);
    });

    it("a hanging node costs the race window, not the health timeout", async () => {
      const hanging = await serve(() => undefined);
      const ok = await discovery();
      const { client: c } = client([hanging.url, ok.url], { selection: { healthTimeoutMs: 10_000, raceWindowMs: 50 } });
      const started = Date.now();
      await getUser(c, 1);
      expect(Date.now() - started).to.be.below(2000);
    });

    it("fails with NODE_UNAVAILABLE, naming each node's failure, when none is usable", async () => {
      const unhealthy = await discovery({ health: { healthy: false } });
      const broken = await discovery({ healthStatus: 503 });
      const gone = await serve(() => undefined);
      await gone.close();
      const { client: c } = client([unhealthy.url, broken.url, gone.url], { retry: false });
      const error = await getUser(c, 1).catch((e: unknown) => e);
      expect(isAsixError(error, "NODE_UNAVAILABLE"), String(error)).to.equal(true);
      const failures = ((error as { details: { probes: { node: string; failure: string }[] } }).details.probes ?? []).map((p) => [p.node, p.failure]);
      expect(failures).to.have.deep.members([
        [unhealthy.url, "unhealthy"],
        [broken.url, "status 503"],
        [gone.url, "unreachable"],
      ]);
    });

    it("gives up within the call's timeout when every node hangs", async () => {
      const hanging = await Promise.all([serve(() => undefined), serve(() => undefined)]);
      const { client: c } = client(hanging.map((h) => h.url));
      const started = Date.now();
      const error = await getUser(c, 1, { timeoutMs: 400 }).catch((e: unknown) => e);
      expect(isAsixError(error, "NODE_UNAVAILABLE"), String(error)).to.equal(true);
      expect(Date.now() - started).to.be.below(1500);
    });

    it("with selection off, uses the first configured node without health checks", async () => {
      const first = await discovery({ health: { healthy: false } });
      const second = await discovery();
      const { client: c, events } = client([first.url, second.url], { selection: false });
      await getUser(c, 1);
      expect(first.seen).to.deep.equal(["GET /v1/users/7eP5n"]);
      expect(second.seen).to.deep.equal([]);
      expect(events).to.deep.equal([]);
    });

    it("uses a single known node without a health check: there is nothing to choose", async () => {
      const only = await discovery({ health: { healthy: false } });
      const { client: c, events } = client([only.url]);
      await getUser(c, 1);
      expect(only.seen).to.deep.equal(["GET /v1/users/7eP5n"]);
      expect(events).to.deep.equal([]);
    });

    it("keeps discoveryUrl working as one node, first in the list", async () => {
      const only = await discovery();
      const asix = createAsix({ network: { discoveryUrl: `${only.url}/`, dataChain } });
      expect(asix.client.network.discoveryNodes).to.deep.equal([only.url]);
      expect((await asix.users.get(1)).handle).to.equal("someone");
    });

    it("refuses a discovery node that is not an http(s) URL", () => {
      expect(() => createClient({ network: { discoveryNodes: ["ftp://x"], dataChain } })).to.throw(/http\(s\)/);
      expect(() => createClient({ network: { dataChain } })).to.throw(/discoveryUrl, discoveryNodes, or ethChain/);
    });
  });

  describe("retries and failover", () => {
    it("retries an idempotent read on a 5xx with backoff, and reports it", async () => {
      let reads = 0;
      const flaky = await discovery({
        read: (_req, res) => (++reads < 3 ? json(res, 503, { error: { code: "NODE_UNAVAILABLE", message: "busy" } }) : json(res, 200, user)),
      });
      const { client: c, events } = client([flaky.url], { retry: { attempts: 3, minDelayMs: 5 } });
      expect((await getUser(c, 1)).handle).to.equal("someone");
      expect(reads).to.equal(3);
      expect(events.filter((e) => e.type === "retry").map((e) => e.attempt)).to.deep.equal([2, 3]);
    });

    it("moves a failing read to the other node", async () => {
      const failing = await discovery({ read: (_req, res) => json(res, 500, { error: { code: "INTERNAL", message: "db locked" } }) });
      const other = await discovery({ delayMs: 200 });
      await Promise.all([failing, other].map(async (n) => (await fetch(`${n.url}/health_check`)).arrayBuffer()));
      const { client: c, events } = client([failing.url, other.url], { selection: { raceWindowMs: 1000 } });
      expect((await getUser(c, 1)).handle).to.equal("someone");
      expect(events.map((e) => `${e.type} ${e.node === failing.url ? "failing" : "other"}`)).to.deep.equal(["select failing", "failover failing", "retry failing", "select other"]);
    });

    it("does not retry a read the node refused (4xx)", async () => {
      let reads = 0;
      const node = await discovery({ read: (_req, res) => (reads++, json(res, 404, { error: { code: "NOT_FOUND", message: "no such user" } })) });
      const { client: c } = client([node.url]);
      const error = await getUser(c, 1).catch((e: unknown) => e);
      expect(isAsixError(error, "NOT_FOUND")).to.equal(true);
      expect(reads).to.equal(1);
    });

    it("never sends a write twice, even when the node answers 5xx", async () => {
      let relays = 0;
      const node = await discovery({ read: (_req, res) => (relays++, json(res, 502, { error: { code: "NODE_UNAVAILABLE", message: "relay down" } })) });
      const { client: c } = client([node.url], { wallet: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" });
      const error = await manageEntity(c, { userId: 1, entityType: "User", entityId: 1, action: "Update", data: {} }).catch((e: unknown) => e);
      expect(isAsixError(error, "NODE_UNAVAILABLE"), String(error)).to.equal(true);
      expect(relays).to.equal(1);
    });
  });

  describe("writes", () => {
    it("sends a write to another node only when the chosen one refused the connection", async () => {
      let relays = 0;
      const relayNode: Handler = (req, res) => {
        if (req.url?.startsWith("/relay")) {
          relays++;
          json(res, 200, { receipt: { blockHash: `0x${"ab".repeat(32)}`, blockNumber: 5, transactionHash: `0x${"cd".repeat(32)}` } });
        } else if (req.url?.startsWith("/block_confirmation")) {
          json(res, 200, { data: { block_found: true, block_passed: true } });
        } else {
          json(res, 200, user);
        }
      };
      const first = await discovery({ read: relayNode });
      const second = await discovery({ read: relayNode, delayMs: 200 });
      await Promise.all([first, second].map(async (n) => (await fetch(`${n.url}/health_check`)).arrayBuffer()));
      const { client: c } = client([first.url, second.url], { selection: { raceWindowMs: 1000 }, wallet: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" });
      await getUser(c, 1);
      expect(first.seen).to.include("GET /v1/users/7eP5n");
      await first.close();
      const receipt = await manageEntity(c, { userId: 1, entityType: "User", entityId: 1, action: "Update", data: {} });
      expect(receipt.blockNumber).to.equal(5);
      expect(relays).to.equal(1);
      expect(second.seen).to.include("POST /relay");
    });

    it("sends the same signed write to another node when the chosen one drops the connection without answering", async () => {
      const bodies: string[] = [];
      const relayNode = (drop: boolean): Handler => (req, res) => {
        if (req.url?.startsWith("/relay")) {
          let body = "";
          req.on("data", (c: Buffer) => (body += c));
          req.on("end", () => {
            bodies.push(body);
            if (drop) return void res.socket?.destroy();
            json(res, 200, { receipt: { blockHash: `0x${"ab".repeat(32)}`, blockNumber: 5, transactionHash: `0x${"cd".repeat(32)}` } });
          });
        } else if (req.url?.startsWith("/block_confirmation")) {
          json(res, 200, { data: { block_found: true, block_passed: true } });
        } else {
          json(res, 200, user);
        }
      };
      const first = await discovery({ read: relayNode(true) });
      const second = await discovery({ read: relayNode(false), delayMs: 200 });
      await Promise.all([first, second].map(async (n) => (await fetch(`${n.url}/health_check`)).arrayBuffer()));
      const { client: c } = client([first.url, second.url], { selection: { raceWindowMs: 1000 }, wallet: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" });
      await getUser(c, 1);
      expect(first.seen).to.include("GET /v1/users/7eP5n");
      const receipt = await manageEntity(c, { userId: 1, entityType: "User", entityId: 1, action: "Update", data: {} });
      expect(receipt.blockNumber).to.equal(5);
      expect(second.seen).to.include("POST /relay");
      // The identical signed action (same nonce and signature) went to both: a replay the relay would refuse.
      expect(bodies).to.have.length(2);
      expect(bodies[1]).to.equal(bodies[0]);
    });
  });

  describe("ordering content nodes", () => {
    const contentNode = (data: Record<string, unknown>, status = 200) =>
      serve((req, res) => json(res, req.url?.startsWith("/health_check") ? status : 404, { data: { healthy: true, service: "content-node", diskHasSpace: true, ...data } }));

    it("keeps the rendezvous order of the key, usable nodes only", async () => {
      const nodes = await Promise.all([contentNode({}), contentNode({}), contentNode({ diskHasSpace: false }), contentNode({}, 503), contentNode({})]);
      const urls = nodes.map((n) => n.url);
      const { client: c } = client([urls[0]], { network: { discoveryNodes: [urls[0]], contentNodes: urls, dataChain } });
      const key = "baeaaaiqsea";
      const expected = rendezvousRank(urls, key).filter((u) => u !== urls[2] && u !== urls[3]);
      expect(await orderContentNodes(c, key)).to.deep.equal(expected);
    });

    it("fails with NODE_UNAVAILABLE when no content node is usable", async () => {
      const full = await contentNode({ diskHasSpace: false });
      const { client: c } = client([full.url], { network: { discoveryNodes: [full.url], contentNodes: [full.url], dataChain } });
      const error = await orderContentNodes(c, "k").catch((e: unknown) => e);
      expect(isAsixError(error, "NODE_UNAVAILABLE"), String(error)).to.equal(true);
    });
  });

  describe("protocol versions", () => {
    it("accepts our major and minor with any patch, refuses other minors, majors and non-semver", () => {
      expect([PROTOCOL_VERSION, "0.7.12", "0.7.0-rc.1"].map(isCompatibleVersion)).to.deep.equal([true, true, true]);
      expect(["0.6.9", "0.8.0", "1.7.0", "0.7", "v0.7.0", "", undefined, 7].map(isCompatibleVersion)).to.deep.equal(Array(8).fill(false));
    });
  });

  describe("resuming a byte stream", () => {
    it("resumes at the byte reached when the connection breaks, over real HTTP", async () => {
      const bytes = new Uint8Array(1 << 20).map((_, i) => (i * 31) % 251);
      const cutAt = 300_000;
      const ranges: string[] = [];
      const node = await serve((req, res) => {
        const range = /bytes=(\d+)-/.exec(String(req.headers.range ?? ""));
        const from = range ? Number(range[1]) : 0;
        ranges.push(String(req.headers.range ?? "none"));
        res.writeHead(range ? 206 : 200, { "content-length": String(bytes.length - from) });
        if (from === 0) {
          // the first answer dies part way
          res.write(bytes.subarray(0, cutAt), () => res.destroy());
        } else {
          res.end(bytes.subarray(from));
        }
      });
      const first = await fetch(node.url);
      const body = resumableBody({
        first: first.body!,
        start: 0,
        end: Number(first.headers.get("content-length")),
        reopen: async (offset) => (await fetch(node.url, { headers: { range: `bytes=${offset}-` } })).body!,
      });
      const received = new Uint8Array(await new Response(body).arrayBuffer());
      expect(received.length).to.equal(bytes.length);
      expect(Buffer.compare(received, bytes)).to.equal(0);
      expect(ranges).to.have.length(2);
      expect(ranges[0]).to.equal("none");
      expect(Number(/bytes=(\d+)-/.exec(ranges[1])![1])).to.be.at.most(cutAt).and.above(0);
    });

    it("does not resume a body the caller aborted: the reader gets the abort", async () => {
      const node = await serve((_req, res) => {
        res.writeHead(200, { "content-length": "100000" });
        res.write(new Uint8Array(1000));
      });
      const controller = new AbortController();
      const first = await fetch(node.url, { signal: controller.signal });
      let reopened = 0;
      const body = resumableBody({
        first: first.body!,
        start: 0,
        end: 100_000,
        signal: controller.signal,
        reopen: async () => {
          reopened++;
          throw new Error("should not reopen");
        },
      });
      const reader = body.getReader();
      await reader.read();
      controller.abort();
      const error = await reader.read().catch((e: unknown) => e);
      expect((error as Error).name).to.equal("AbortError");
      expect(reopened).to.equal(0);
    });

    it("errors the stream when there is nowhere left to resume", async () => {
      const node = await serve((_req, res) => {
        res.writeHead(200, { "content-length": "1000" });
        res.write(new Uint8Array(10), () => res.destroy());
      });
      const first = await fetch(node.url);
      const body = resumableBody({
        first: first.body!,
        start: 0,
        end: 1000,
        reopen: async () => {
          throw new Error("no other node");
        },
      });
      const error = await new Response(body).arrayBuffer().catch((e: unknown) => e);
      expect(String(error)).to.match(/no other node/);
    });
  });
});
