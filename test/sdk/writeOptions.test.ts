import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createAsix } from "../../sdk";
import { createClient } from "../../sdk/client";
import { manageEntity } from "../../sdk/writes";
import { isAsixError } from "../../sdk/errors";

/**
 * Writes take `{ signal, timeoutMs }` like reads: a real HTTP server on a real socket stands where
 * the discovery node (relay, block confirmation) and the identity service would be, and answers as
 * each case needs: never, or with a receipt whose block is never indexed.
 */
describe("SDK writes: signal and timeoutMs", function () {
  let server: http.Server;
  let base: string;
  const held = new Set<http.ServerResponse>();
  let relayMode: "hang" | "receipt" = "hang";
  let relays = 0;
  let polls = 0;
  let onRelay: (() => void) | undefined;
  let onPoll: (() => void) | undefined;
  let onIdentity: (() => void) | undefined;

  before(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url!, "http://x");
      const json = (body: unknown) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(body));
      };
      if (url.pathname === "/relay") {
        relays++;
        req.resume();
        req.on("end", () => {
          onRelay?.();
          if (relayMode === "hang") held.add(res);
          else json({ receipt: { blockHash: `0x${"ab".repeat(32)}`, blockNumber: 42, transactionHash: `0x${"cd".repeat(32)}` } });
        });
      } else if (url.pathname === "/block_confirmation") {
        polls++;
        json({ data: { block_found: false, block_passed: false } }); // never indexed
        onPoll?.();
      } else if (url.pathname === "/authentication") {
        held.add(res);
        onIdentity?.();
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    relayMode = "hang";
    relays = polls = 0;
    onRelay = onPoll = onIdentity = undefined;
  });

  afterEach(() => {
    for (const res of held) res.destroy();
    held.clear();
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const network = () => ({ discoveryUrl: base, identityUrl: base, dataChain: { chainId: 1, entityManagerAddress: `0x${"11".repeat(20)}` } });
  const wallet = `0x${"22".repeat(32)}`;
  // Generous client defaults, so that only the call's own options can end it early.
  const asix = (pollIntervalMs = 50) =>
    createAsix({ network: network(), wallet, userId: 5, requestTimeoutMs: 60_000, indexTimeoutMs: 60_000, pollIntervalMs });

  it("rejects a write with ABORTED when its signal aborts while the relay holds it", async () => {
    const controller = new AbortController();
    onRelay = () => controller.abort();
    const err = await asix()
      .users.follow(7, { signal: controller.signal })
      .catch((e) => e);
    expect(isAsixError(err, "ABORTED"), String(err)).to.equal(true);
    expect(relays).to.equal(1);
  });

  it("rejects a write whose relay never answers with TIMEOUT within its timeoutMs", async () => {
    const client = createClient({ network: network(), wallet, requestTimeoutMs: 60_000, indexTimeoutMs: 60_000 });
    const started = Date.now();
    const err = await manageEntity(client, { userId: 5, entityType: "Track", entityId: 9, action: "Save", timeoutMs: 400 }).catch((e) => e);
    const took = Date.now() - started;
    expect(isAsixError(err, "TIMEOUT"), String(err)).to.equal(true);
    expect(relays).to.equal(1);
    expect(took).to.be.at.least(390);
    expect(took, "ended by its own timeoutMs, not the client's 60 s").to.be.below(5_000);
  });

  it("bounds the wait for indexing by the write's timeoutMs, not the client's indexTimeoutMs", async () => {
    relayMode = "receipt";
    const started = Date.now();
    const err = await asix()
      .tracks.save(9, { timeoutMs: 600 })
      .catch((e) => e);
    expect(isAsixError(err, "TIMEOUT"), String(err)).to.equal(true);
    expect(polls, "the write landed and was waited for").to.be.at.least(1);
    expect(Date.now() - started).to.be.below(5_000);
  });

  it("stops waiting for indexing with ABORTED when the signal aborts between polls", async () => {
    relayMode = "receipt";
    const controller = new AbortController();
    // The abort comes while the write sleeps a minute before polling again: it must not sleep on.
    onPoll = () => setImmediate(() => controller.abort());
    const started = Date.now();
    const err = await asix(60_000)
      .playlists.delete(3, { signal: controller.signal })
      .catch((e) => e);
    expect(isAsixError(err, "ABORTED"), String(err)).to.equal(true);
    expect(polls).to.equal(1);
    expect(Date.now() - started).to.be.below(5_000);
  });

  it("sends nothing for a signal that is already aborted", async () => {
    const err = await asix()
      .tracks.repost(9, { signal: AbortSignal.abort() })
      .catch((e) => e);
    expect(isAsixError(err, "ABORTED"), String(err)).to.equal(true);
    expect(relays).to.equal(0);
  });

  it("refuses a negative timeoutMs with INVALID_INPUT before signing anything", async () => {
    const err = await asix()
      .users.unfollow(7, { timeoutMs: -1 })
      .catch((e) => e);
    expect(isAsixError(err, "INVALID_INPUT"), String(err)).to.equal(true);
    expect(relays).to.equal(0);
  });

  it("rejects a log-in with ABORTED when its signal aborts while the identity service holds it", async () => {
    const controller = new AbortController();
    onIdentity = () => controller.abort();
    const err = await asix()
      .auth.logIn({ email: "ada@example.com", password: "correct horse battery", signal: controller.signal })
      .catch((e) => e);
    expect(isAsixError(err, "ABORTED"), String(err)).to.equal(true);
  });
});
