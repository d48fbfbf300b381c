import { expect } from "chai";
import { Wallet } from "ethers";
import { randomBytes } from "node:crypto";
import { cidOfBytes } from "../../../sdk/cid";
import { replicaSet } from "../../../sdk/rendezvous";
import { PEER_HEADER_SIGNATURE, openPeerSession, signPeerRequest, signPeerSessionRequest } from "../../../sdk/signatures";
import { filesOnDisk, json, startNodes, type NodeFixture } from "./fixture";

/** `HEAD|PUT /internal/blobs/:cid` answer only registered content nodes, once per signature. */
describe("content node: peer-only /internal endpoints", function () {
  this.timeout(60_000);
  let fx: NodeFixture;

  before(async () => {
    fx = await startNodes(2, { replicationFactor: 2, repairIntervalMs: 3_600_000 });
  });
  after(() => fx.close());

  const target = () => fx.peers[0];
  const peerWallet = () => fx.wallets[1];

  async function blob(): Promise<{ bytes: Buffer; cid: string; url: string }> {
    const bytes = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex") /* a PNG signature: peers store only media */, randomBytes(1000)]);
    const cid = await cidOfBytes(bytes);
    expect(replicaSet(fx.peers, cid, 2)).to.include(target());
    return { bytes, cid, url: `${target()}/internal/blobs/${cid}` };
  }

  const put = (url: string, body: Buffer, headers: Record<string, string>) => fetch(url, { method: "PUT", body, headers });

  async function expectRefused(res: Response, status = 401): Promise<void> {
    expect(res.status).to.equal(status);
    expect((await json(res)).error.code).to.be.a("string");
  }

  /** One test per way of signing that must be refused: a 401 JSON answer, and no file left on disk. */
  function itRefusesEach(refusals: [string, (b: { url: string; cid: string }) => Promise<Record<string, string>>][]): void {
    for (const [what, sign] of refusals) {
      it(`refuses ${what} with 401 JSON and keeps nothing`, async () => {
        const b = await blob();
        const before = filesOnDisk(fx.dirs[0]);
        await expectRefused(await put(b.url, b.bytes, await sign(b)));
        expect(filesOnDisk(fx.dirs[0])).to.deep.equal(before);
      });
    }
  }

  it("stores a blob pushed with a registered peer's signature, and HEAD then answers 200", async () => {
    const b = await blob();
    expect((await put(b.url, b.bytes, await signPeerRequest(peerWallet(), "PUT", b.url))).status).to.equal(201);
    const head = await fetch(b.url, { method: "HEAD", headers: await signPeerRequest(peerWallet(), "HEAD", b.url) });
    expect(head.status).to.equal(200);
  });

  const refusals: [string, (b: { url: string; cid: string }) => Promise<Record<string, string>>][] = [
    ["an unsigned PUT", async () => ({})],
    ["a PUT signed by a wallet that is not a registered content node", async (b) => signPeerRequest(Wallet.createRandom(), "PUT", b.url)],
    ["a PUT with a forged signature", async (b) => {
      const signed = JSON.parse((await signPeerRequest(peerWallet(), "PUT", b.url))[PEER_HEADER_SIGNATURE]);
      signed.data.nonce = randomBytes(16).toString("hex"); // the signature no longer covers the data
      return { [PEER_HEADER_SIGNATURE]: JSON.stringify(signed) };
    }],
    ["an expired PUT signature (10 minutes old)", async (b) => signPeerRequest(peerWallet(), "PUT", b.url, Date.now() - 10 * 60_000)],
    ["a signature made for a HEAD, used for a PUT", async (b) => signPeerRequest(peerWallet(), "HEAD", b.url)],
    ["a signature made for another node", async (b) => signPeerRequest(peerWallet(), "PUT", b.url.replace(target(), fx.peers[1]))],
    ["garbage in the signature header", async () => ({ [PEER_HEADER_SIGNATURE]: "{nope" })],
  ];
  itRefusesEach(refusals);

  it("refuses a replayed PUT signature", async () => {
    const b = await blob();
    const signed = await signPeerRequest(peerWallet(), "PUT", b.url);
    expect((await put(b.url, b.bytes, signed)).status).to.equal(201);
    await expectRefused(await put(b.url, b.bytes, signed));
  });

  it("refuses an unsigned HEAD, so the node's holdings are not public", async () => {
    const b = await blob();
    const res = await fetch(b.url, { method: "HEAD" });
    expect(res.status).to.equal(401);
  });

  it("answers which blobs it holds to a signed holdings query, and refuses an unsigned one", async () => {
    const b = await blob();
    expect((await put(b.url, b.bytes, await signPeerRequest(peerWallet(), "PUT", b.url))).status).to.equal(201);
    const url = `${target()}/internal/blobs`;
    const other = await cidOfBytes(randomBytes(100));
    const body = JSON.stringify({ cids: [b.cid, other] });
    const asked = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...(await signPeerRequest(peerWallet(), "POST", url)) } });
    expect(asked.status).to.equal(200);
    expect((await json(asked)).data.held).to.deep.equal([b.cid]);
    await expectRefused(await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } }));
  });

  it("refuses a signed PUT of bytes that are neither audio nor an image (415) and keeps nothing", async () => {
    const bytes = Buffer.from(`#!/bin/sh\necho ${randomBytes(8).toString("hex")}\n`.padEnd(200, "#"));
    const cid = await cidOfBytes(bytes);
    const owner = replicaSet(fx.peers, cid, 2).includes(target()) ? target() : fx.peers[1];
    const url = `${owner}/internal/blobs/${cid}`;
    const from = owner === target() ? peerWallet() : fx.wallets[0];
    const before = filesOnDisk(fx.dirs[fx.peers.indexOf(owner)]);
    await expectRefused(await put(url, bytes, await signPeerRequest(from, "PUT", url)), 415);
    expect(filesOnDisk(fx.dirs[fx.peers.indexOf(owner)])).to.deep.equal(before);
  });

  it("refuses a signed PUT of bytes that do not hash to the CID (400)", async () => {
    const b = await blob();
    await expectRefused(await put(b.url, Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex") /* a PNG signature: peers store only media */, randomBytes(1000)]), await signPeerRequest(peerWallet(), "PUT", b.url)), 400);
  });

  describe("requests signed with a peer session key", () => {
    const session = (wallet = peerWallet(), lifetimeMs?: number, now?: number) => openPeerSession(wallet, lifetimeMs, now);
    const tamper = (headers: Record<string, string>, change: (envelope: { data: Record<string, unknown>; signature: string; session: { data: { timestamp?: unknown; expiresAt?: unknown; key?: string }; signature: string } }) => void) => {
      const envelope = JSON.parse(headers[PEER_HEADER_SIGNATURE]);
      change(envelope);
      return { [PEER_HEADER_SIGNATURE]: JSON.stringify(envelope) };
    };

    it("stores blobs pushed under one session certificate, each request signed by its key", async () => {
      const s = await session();
      for (let i = 0; i < 3; i++) {
        const b = await blob();
        expect((await put(b.url, b.bytes, signPeerSessionRequest(s, "PUT", b.url))).status).to.equal(201);
      }
    });

    const refusals: [string, (b: { url: string }) => Promise<Record<string, string>>][] = [
      ["a session certified by a wallet that is not a registered content node", async (b) => signPeerSessionRequest(await session(Wallet.createRandom()), "PUT", b.url)],
      ["a session request whose data was changed after signing", async (b) =>
        tamper(signPeerSessionRequest(await session(), "PUT", b.url), (e) => (e.data.nonce = randomBytes(16).toString("hex")))],
      ["a session request signed by another key than the certified one", async (b) => {
        const certified = await session();
        const other = await session(Wallet.createRandom());
        return tamper(signPeerSessionRequest(other, "PUT", b.url), (e) => (e.session = certified.certificate));
      }],
      ["a certificate whose key was swapped for another", async (b) => {
        const mine = await session();
        const theirs = await session(Wallet.createRandom());
        return tamper(signPeerSessionRequest(theirs, "PUT", b.url), (e) => (e.session = { ...mine.certificate, data: { ...mine.certificate.data, key: theirs.certificate.data.key } }));
      }],
      ["a request under an expired session", async (b) => signPeerSessionRequest(await session(peerWallet(), 60_000, Date.now() - 2 * 60_000), "PUT", b.url)],
      ["a session certificate longer than the longest allowed", async (b) => {
        const s = await session();
        return tamper(signPeerSessionRequest(s, "PUT", b.url), (e) => (e.session.data.expiresAt = (e.session.data.timestamp as number) + 60 * 60_000));
      }],
      ["a session request made for a HEAD, used for a PUT", async (b) => signPeerSessionRequest(await session(), "HEAD", b.url)],
      ["a session request made for another node", async (b) => signPeerSessionRequest(await session(), "PUT", b.url.replace(target(), fx.peers[1]))],
      ["a session request with garbage for its signature", async (b) => tamper(signPeerSessionRequest(await session(), "PUT", b.url), (e) => (e.signature = "zz"))],
    ];
    itRefusesEach(refusals);

    it("refuses a replayed session request, and the session's next request passes", async () => {
      const s = await session();
      const b = await blob();
      const signed = signPeerSessionRequest(s, "PUT", b.url);
      expect((await put(b.url, b.bytes, signed)).status).to.equal(201);
      await expectRefused(await put(b.url, b.bytes, signed));
      const c = await blob();
      expect((await put(c.url, c.bytes, signPeerSessionRequest(s, "PUT", c.url))).status).to.equal(201);
    });

    it("refuses a request that uses a verified session's certificate with a key it does not hold", async () => {
      const s = await session();
      const b = await blob();
      expect((await put(b.url, b.bytes, signPeerSessionRequest(s, "PUT", b.url))).status).to.equal(201); // the certificate is now remembered
      const attacker = await session(Wallet.createRandom());
      const c = await blob();
      await expectRefused(await put(c.url, c.bytes, tamper(signPeerSessionRequest(attacker, "PUT", c.url), (e) => (e.session = s.certificate))));
    });
  });
});
