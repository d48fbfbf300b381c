import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { request, requestJson } from "../../sdk/http";
import { createClient } from "../../sdk/client";
import { getUser } from "../../sdk/users/getUser";
import { streamTrack } from "../../sdk/tracks/streamTrack";
import { isAsixError, type AsixError } from "../../sdk/errors";

/**
 * The fetch transport against a real HTTP server on a real socket: how each way a call can end
 * (answer, service error, timeout, abort, nobody listening) maps to a stable AsixError code.
 */
describe("SDK fetch transport", function () {
  let server: http.Server;
  let base: string;
  const hanging = new Set<http.ServerResponse>();
  let onHang: (() => void) | undefined;

  before(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url!, "http://x");
      if (url.pathname === "/echo") {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify({ method: req.method, query: Object.fromEntries(url.searchParams), body, type: req.headers["content-type"] ?? null }));
        });
      } else if (url.pathname === "/conflict") {
        res.statusCode = 409;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ error: { code: "CONFLICT", message: "already there" } }));
      } else if (url.pathname === "/html") {
        res.statusCode = 502;
        res.end("<html>bad gateway</html>");
      } else if (url.pathname === "/not-json") {
        res.end("<html>hello</html>");
      } else if (url.pathname.endsWith("/stream") && url.searchParams.get("no_redirect") === "true") {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ data: `${base}/audio` }));
      } else if (url.pathname === "/audio") {
        // Sends one chunk, then holds the stream open, like a slow node mid-track.
        res.writeHead(200, { "content-type": "audio/mpeg" });
        res.write(Buffer.alloc(1024, 1));
        hanging.add(res);
      } else if (url.pathname === "/hang" || url.pathname.startsWith("/v1/")) {
        hanging.add(res); // never answers: the call must end by its timeout or signal
        onHang?.();
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const dataChain = { chainId: 1, entityManagerAddress: `0x${"11".repeat(20)}` };
  const client = (extra: Omit<Parameters<typeof createClient>[0], "network"> = {}) => createClient({ network: { discoveryUrl: base, dataChain }, ...extra });

  it("sends a JSON body and a query, and parses the JSON answer", async () => {
    const answer = await requestJson<{ method: string; query: Record<string, string>; body: string; type: string }>(
      client(),
      { method: "POST", url: `${base}/echo`, query: { a: 1, b: "x y", skip: undefined, c: true }, json: { hello: "world" } },
      "echo",
    );
    expect(answer.method).to.equal("POST");
    expect(answer.query).to.deep.equal({ a: "1", b: "x y", c: "true" });
    expect(JSON.parse(answer.body)).to.deep.equal({ hello: "world" });
    expect(answer.type).to.equal("application/json");
  });

  it("maps a service's error body to its code, and a non-JSON error to the status's code", async () => {
    const conflict = await requestJson<never>(client(), { url: `${base}/conflict` }, "conflict").catch((e: AsixError) => e);
    expect(isAsixError(conflict, "CONFLICT"), String(conflict)).to.equal(true);
    expect(conflict.details.status).to.equal(409);
    const gateway = await request(client(), { url: `${base}/html` }, "html").catch((e) => e);
    expect(isAsixError(gateway, "NODE_UNAVAILABLE"), String(gateway)).to.equal(true);
    expect(gateway.details.status).to.equal(502);
  });

  it("refuses a 2xx answer that is not JSON with NODE_UNAVAILABLE", async () => {
    const err = await requestJson(client(), { url: `${base}/not-json` }, "not json").catch((e) => e);
    expect(isAsixError(err, "NODE_UNAVAILABLE"), String(err)).to.equal(true);
  });

  it("gives TIMEOUT when the node does not answer within timeoutMs", async () => {
    const started = Date.now();
    const err = await requestJson(client(), { url: `${base}/hang`, timeoutMs: 150 }, "hang").catch((e) => e);
    expect(isAsixError(err, "TIMEOUT"), String(err)).to.equal(true);
    expect(Date.now() - started).to.be.lessThan(10_000);
  });

  it("uses the client's requestTimeoutMs when a call gives none", async () => {
    const c = client({ requestTimeoutMs: 150 });
    const err = await requestJson(c, { url: `${base}/hang` }, "hang").catch((e) => e);
    expect(isAsixError(err, "TIMEOUT"), String(err)).to.equal(true);
  });

  it("gives ABORTED when the caller's signal aborts a read in flight", async () => {
    const controller = new AbortController();
    const arrived = new Promise<void>((resolve) => (onHang = resolve));
    const pending = getUser(client(), 1, { signal: controller.signal }).catch((e) => e);
    // Abort once the server holds the request, so the abort cuts a call in flight.
    await arrived;
    controller.abort();
    const err = await pending;
    expect(isAsixError(err, "ABORTED"), String(err)).to.equal(true);
  });

  it("aborts a stream mid-way: the body's reader fails with the abort", async () => {
    const controller = new AbortController();
    const res = await streamTrack(client(), 1, { signal: controller.signal });
    expect(res.status).to.equal(200);
    const reader = res.stream.getReader();
    const first = await reader.read();
    expect(first.value?.byteLength).to.equal(1024);
    controller.abort();
    const err = await reader.read().catch((e) => e);
    expect((err as Error).name).to.equal("AbortError");
  });

  it("gives ABORTED when a stream is aborted before the node answers", async () => {
    const err = await streamTrack(client(), 1, { signal: AbortSignal.abort() }).catch((e) => e);
    expect(isAsixError(err, "ABORTED"), String(err)).to.equal(true);
  });

  it("gives ABORTED, not TIMEOUT, for an already aborted signal even with a timeout", async () => {
    const err = await requestJson(client(), { url: `${base}/hang`, signal: AbortSignal.abort(), timeoutMs: 5_000 }, "hang").catch((e) => e);
    expect(isAsixError(err, "ABORTED"), String(err)).to.equal(true);
  });

  it("gives NODE_UNAVAILABLE when nobody listens", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await requestJson(client(), { url: `http://127.0.0.1:${port}/x` }, "closed").catch((e) => e);
    expect(isAsixError(err, "NODE_UNAVAILABLE"), String(err)).to.equal(true);
  });

  it("sends every request through an injected fetch", async () => {
    const seen: string[] = [];
    const c = client({
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    await requestJson(c, { url: `${base}/echo`, query: { q: 1 } }, "echo");
    expect(seen).to.deep.equal([`${base}/echo?q=1`]);
  });

  it("refuses a negative timeout and a fetch that is not a function", async () => {
    const err = await requestJson(client(), { url: `${base}/echo`, timeoutMs: -1 }, "echo").catch((e) => e);
    expect(isAsixError(err, "INVALID_INPUT"), String(err)).to.equal(true);
    expect(() => client({ fetch: "nope" as never })).to.throw(/fetch must be a function/);
  });
});
