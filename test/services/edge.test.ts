import fs from "node:fs";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import express from "express";
import { listen, type RunningServer } from "../../devnet/services/http";
import { createLogger } from "../../devnet/services/node-runtime/logging";
import { createServiceMetrics } from "../../devnet/services/node-runtime/metrics";
import { loadTls } from "../../devnet/services/node-runtime/tls";
import { createDevnetCa } from "../../devnet/services/node-runtime/tlsCa";

/** What every service's listen() adds: HTTPS, a drain on close, request ids, metrics by route. */
describe("service edge: TLS, drain, request ids and metrics", function () {
  this.timeout(30_000);
  const servers: RunningServer[] = [];
  after(() => Promise.all(servers.map((s) => s.close())));

  it("on close lets a request in flight finish (up to drainMs) while refusing new connections", async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => (arrived = r));
    const app = express();
    app.get("/slow", async (_req, res) => {
      arrived();
      await released;
      res.json({ done: true });
    });
    const server = await listen(app, 0, "127.0.0.1", { drainMs: 20_000 });
    const answer = fetch(`${server.url}/slow`).then((r) => r.json());
    await inFlight;
    const closed = server.close();
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(server.port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(false)));
      s.once("error", () => resolve(true));
    });
    expect(refused, "a new connection during the drain").to.equal(true);
    release();
    expect(await answer).to.deep.equal({ done: true });
    await closed;
  });

  it("serves HTTPS with a certificate from the devnet CA, which a client trusting that CA accepts", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-tls-"));
    const files = createDevnetCa(dir);
    const app = express();
    app.get("/ping", (_req, res) => res.json({ pong: true }));
    const server = await listen(app, 0, "127.0.0.1", { tls: loadTls(files) });
    servers.push(server);
    expect(server.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    const get = (ca?: string) =>
      new Promise<number>((resolve, reject) => https.get(`${server.url}/ping`, { ca }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on("error", reject));
    expect(await get(fs.readFileSync(files.caFile, "utf8"))).to.equal(200);
    const err = await get().then(() => undefined, (e: NodeJS.ErrnoException) => e);
    expect(err?.code).to.equal("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    expect(() => loadTls({ certFile: files.certFile, keyFile: files.caFile })).to.throw(/do not make a usable pair/);
  });

  it("echoes a sane X-Request-ID, replaces an unsafe one, and logs it on the request's JSON line", async () => {
    const lines: string[] = [];
    const app = express();
    app.get("/items/:id", (req, res) => res.json({ id: req.params.id }));
    const server = await listen(app, 0, "127.0.0.1", { log: createLogger("test-service", (l) => lines.push(l)) });
    servers.push(server);
    const given = await fetch(`${server.url}/items/7`, { headers: { "x-request-id": "abc-123" } });
    expect(given.headers.get("x-request-id")).to.equal("abc-123");
    const unsafe = await fetch(`${server.url}/items/8`, { headers: { "x-request-id": "x".repeat(300) } });
    expect(unsafe.headers.get("x-request-id")).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    const logged = lines.map((l) => JSON.parse(l)).find((e) => e.reqId === "abc-123");
    expect(logged).to.include({ service: "test-service", msg: "request", method: "GET", route: "/items/:id", status: 200, level: "info" });
    expect(logged.t).to.match(/^\d{4}-\d\d-\d\dT/);
  });

  it("counts requests by route pattern, not raw path, in Prometheus text at /metrics", async () => {
    const metrics = createServiceMetrics("test-service");
    metrics.gauge("asix_test_depth", "a gauge read at scrape time", () => 7);
    const app = express();
    const router = express.Router();
    router.get("/tracks/:id", (req, res) => res.json({ id: req.params.id }));
    app.use("/v1", router);
    const server = await listen(app, 0, "127.0.0.1", { metrics });
    servers.push(server);
    await Promise.all(["/v1/tracks/1", "/v1/tracks/2", "/nowhere/3"].map((p) => fetch(`${server.url}${p}`).then((r) => r.arrayBuffer())));
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get("content-type")).to.match(/^text\/plain/);
    const text = await res.text();
    expect(text).to.contain('asix_http_requests_total{method="GET",route="/v1/tracks/:id",status="200",service="test-service"} 2');
    expect(text).to.contain('asix_http_requests_total{method="GET",route="unmatched",status="404",service="test-service"} 1');
    expect(text).to.contain('asix_test_depth{service="test-service"} 7');
    expect(text).to.not.contain("/v1/tracks/1");
  });
});
