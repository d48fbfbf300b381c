import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { startContentNode, type RunningContentNode } from "../../../devnet/services/content-node";
import { cidOfBytes } from "../../../sdk/cid";
import { signPeerRequest, signStreamAccess, verifyStreamAccess } from "../../../sdk/signatures";
import { devnetPrivateKey, DEVNET_ROLES } from "../../../devnet/accounts";
import { PLAY_LIMITS } from "../../../devnet/services/discovery-node/plays";
import { hid, meta, startDiscoveryFixture, type DiscoveryFixture, BACKEND } from "./fixture";

/**
 * Plays count once per stream signature, whether reported through POST /v1/tracks/:id/plays or by
 * streaming the signed URL again, and within per-listener and per-IP limits.
 */
describe(`plays (${BACKEND}): one per stream signature, limited per listener and IP`, function () {
  this.timeout(120_000);
  let f: DiscoveryFixture;
  let contentNode: RunningContentNode;
  let contentDir: string;
  let cid: string;
  let userId: number;
  let artist: Wallet;
  /** statuses the discovery node gave the content node's play reports that it refused */
  const refusedReports: number[] = [];

  before(async () => {
    contentDir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-plays-cn-"));
    const pusher = Wallet.createRandom();
    const discoveryAddress = new Wallet(devnetPrivateKey(DEVNET_ROLES.discoveryNode)).address;
    let discoveryUrl = "";
    let cnUrl = "";
    contentNode = await startContentNode({
      dir: contentDir,
      privateKey: Wallet.createRandom().privateKey,
      replicationFactor: 1,
      peers: () => [cnUrl],
      peerSigners: () => [pusher.address],
      discoverySigners: () => [discoveryAddress],
      discoveryNodes: () => [{ endpoint: discoveryUrl, delegateOwnerWallet: discoveryAddress }],
      repairIntervalMs: 3_600_000,
      log: (msg, fields) => {
        if (msg === "play not counted") refusedReports.push(Number(fields?.status));
      },
    });
    cnUrl = contentNode.url;
    f = await startDiscoveryFixture({ contentNodes: () => [contentNode.url] });
    discoveryUrl = f.url;
    const bytes = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex") /* a PNG signature: peers store only media */, randomBytes(5000)]);
    cid = await cidOfBytes(bytes);
    const url = `${cnUrl}/internal/blobs/${cid}`;
    expect((await fetch(url, { method: "PUT", body: bytes, headers: await signPeerRequest(pusher, "PUT", url) })).status).to.equal(201);
    artist = f.newWallet();
    userId = await f.createUser(artist, "plays_artist");
  });
  after(async () => {
    await f?.close();
    await contentNode?.stop();
    fs.rmSync(contentDir, { recursive: true, force: true });
  });

  const playCount = async (id: number) => (await f.get(`/v1/tracks/${hid(id)}`)).body.data.play_count as number;
  const streamUrl = async (id: number, query = "") => {
    const res = await fetch(`${f.url}/v1/tracks/${hid(id)}/stream${query}`, { redirect: "manual" });
    expect(res.status).to.equal(302);
    return res.headers.get("location")!;
  };
  const signatureOf = (location: string) => new URL(location).searchParams.get("signature")!;
  const report = (id: number, signature: string) =>
    fetch(`${f.url}/v1/tracks/${hid(id)}/plays`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ signature }) });

  it("signs each stream with a fresh nonce, a one-hour expiry and the caller's IP", async () => {
    const track = await newTrackOwned();
    const a = verifyStreamAccess(signatureOf(await streamUrl(track)), cid, [f.delegate.address]);
    const b = verifyStreamAccess(signatureOf(await streamUrl(track)), cid, [f.delegate.address]);
    expect(a.nonce).to.be.a("string").and.not.equal(b.nonce);
    expect(a.expiresAt! - a.timestamp).to.equal(3600_000);
    expect(a.ip).to.match(/127\.0\.0\.1/);
  });

  it("counts one play for a signature replayed 50 times to /plays and 20 times to the stream URL", async () => {
    const track = await newTrackOwned();
    const location = await streamUrl(track);
    const first = await fetch(location);
    expect(first.status).to.equal(200);
    await first.arrayBuffer();
    const deadline = Date.now() + 10_000;
    while ((await playCount(track)) < 1) {
      expect(Date.now()).to.be.lessThan(deadline);
      await new Promise((r) => setTimeout(r, 50));
    }
    const replays = await Promise.all(Array.from({ length: 50 }, () => report(track, signatureOf(location)).then((r) => r.status)));
    expect(new Set(replays)).to.deep.equal(new Set([409]));
    for (let i = 0; i < 20; i++) {
      const res = await fetch(location);
      expect(res.status).to.equal(200); // playback (seeks, retries) still works with the same signature
      await res.arrayBuffer();
    }
    // Each stream-URL replay made the content node report a play; wait until all 20 were refused.
    while (refusedReports.length < 20) {
      expect(Date.now()).to.be.lessThan(deadline + 20_000);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(new Set(refusedReports)).to.deep.equal(new Set([409]));
    expect(await playCount(track)).to.equal(1);
  });

  it("limits counted plays per listener and per IP, each fresh signature notwithstanding", async () => {
    const track = await newTrackOwned();
    const listener = `?user_id=${hid(userId)}`;
    const statuses: number[] = [];
    for (let i = 0; i < PLAY_LIMITS.perListenerPerTrack + 1; i++) statuses.push((await report(track, signatureOf(await streamUrl(track, listener)))).status);
    expect(statuses).to.deep.equal([...Array(PLAY_LIMITS.perListenerPerTrack).fill(201), 429]);
    const anonymous: number[] = [];
    for (let i = PLAY_LIMITS.perListenerPerTrack; i < PLAY_LIMITS.perIpPerTrack + 1; i++) anonymous.push((await report(track, signatureOf(await streamUrl(track)))).status);
    expect(anonymous).to.deep.equal([...Array(PLAY_LIMITS.perIpPerTrack - PLAY_LIMITS.perListenerPerTrack).fill(201), 429]);
    expect(await playCount(track)).to.equal(PLAY_LIMITS.perIpPerTrack);
  });

  it("refuses a play with an expired signature", async () => {
    const track = await newTrackOwned();
    const old = await signStreamAccess(f.delegate, { cid, timestamp: Date.now() - 2 * 3600_000, trackId: track, ip: "127.0.0.1" });
    expect((await report(track, old)).status).to.equal(401);
  });

  /** a new track by the test artist, streaming the blob */
  async function newTrackOwned(): Promise<number> {
    const id = f.nextId("track");
    await f.act(artist, { userId, entityType: "Track", entityId: id, action: "Create", metadata: meta({ owner_id: userId, title: `t${id}`, track_cid: cid }) });
    return id;
  }
});
