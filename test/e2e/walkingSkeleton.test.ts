import { expect } from "chai";
import fs from "node:fs";
import { createAsix, isAsixError, cidOfBytes, decodeHashId, type Asix } from "../../sdk";

const decodeId = (hashid: string) => {
  const id = decodeHashId(hashid);
  if (id === undefined) throw new Error(`not a hashid: ${hashid}`);
  return id;
};
import type { Devnet } from "../../devnet";
import { startTestDevnet } from "../helpers/devnet";
import { makeAudio } from "../helpers/audio";

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe("walking skeleton: a new wallet to a stream, through every layer", function () {
  let devnet: Devnet;
  let alice: Asix;
  let bob: Asix;
  let mp3: string;

  before(async function () {
    [devnet, mp3] = await Promise.all([startTestDevnet(), makeAudio({ seconds: 4, format: "mp3" })]);
    const account = (i: number) => devnet.accounts.find((a) => a.index === i)!.privateKey;
    alice = createAsix({ network: devnet, wallet: account(10) });
    bob = createAsix({ network: devnet, wallet: account(11) });
  });

  after(async () => {
    await devnet?.stop();
  });

  it("creates two users and reads them back from the discovery node", async () => {
    const a = await alice.users.create({ handle: "alice", name: "Alice", bio: "first" });
    const b = await bob.users.create({ handle: "bob" });
    expect(a.blockNumber).to.be.a("number");
    expect(a.blockHash).to.match(/^0x[0-9a-f]{64}$/);
    const user = await bob.users.get(a.userId);
    expect(user).to.include({ id: a.userId, handle: "alice", name: "Alice", bio: "first" });
    expect(user.wallet.toLowerCase()).to.equal(devnet.accounts[10].address.toLowerCase());
    expect((await alice.users.getByHandle("BOB")).id).to.equal(b.userId);
  });

  let trackId: string;
  let original: Buffer;

  it("uploads a generated mp3 and reads the track back with the right fields", async () => {
    original = fs.readFileSync(mp3);
    const phases = new Set<string>();
    const result = await alice.tracks.upload(mp3, { title: "First light", genre: "Electronic" }, { onProgress: (p) => phases.add(p.phase) });
    trackId = result.trackId;
    expect(phases.has("upload")).to.equal(true);
    expect(result.origFileCid).to.equal(await cidOfBytes(original));
    const track = await bob.tracks.get(trackId);
    expect(track).to.include({ id: trackId, title: "First light", genre: "Electronic", trackCid: result.trackCid, origFileCid: result.origFileCid });
    expect(track.user.handle).to.equal("alice");
    expect(track.duration).to.be.within(3, 5);
  });

  it("streams the track whole, and its bytes are the stored rendition", async () => {
    const track = await bob.tracks.get(trackId);
    const res = await bob.tracks.stream(trackId);
    expect(res.status).to.equal(200);
    const bytes = await readAll(res.stream);
    expect(bytes.length).to.equal(res.contentLength);
    // What streams is exactly the blob named by trackCid: content addressing end to end.
    expect(await cidOfBytes(bytes)).to.equal(track.trackCid);
    // The original upload is kept byte for byte under origFileCid.
    const orig = await fetch(`${devnet.services.contentNodes[0]}/content/${track.origFileCid}`, { redirect: "follow" });
    expect(Buffer.from(await orig.arrayBuffer()).equals(original)).to.equal(true);
  });

  it("streams a byte range with 206", async () => {
    const whole = await readAll((await bob.tracks.stream(trackId)).stream);
    const res = await bob.tracks.stream(trackId, { range: { start: 100, end: 1099 } });
    expect(res.status).to.equal(206);
    expect(res.contentRange).to.equal(`bytes 100-1099/${whole.length}`);
    const part = await readAll(res.stream);
    expect(part.equals(whole.subarray(100, 1100))).to.equal(true);
  });

  it("counts a play for each stream that starts at byte 0, not for later ranges", async () => {
    const before = (await bob.tracks.get(trackId)).playCount;
    (await bob.tracks.stream(trackId)).stream.pipeTo(new WritableStream()).catch(() => {});
    (await bob.tracks.stream(trackId, { range: { start: 0, end: 99 } })).stream.pipeTo(new WritableStream()).catch(() => {});
    (await bob.tracks.stream(trackId, { range: { start: 500 } })).stream.pipeTo(new WritableStream()).catch(() => {});
    const deadline = Date.now() + 5000;
    let count = before;
    while (Date.now() < deadline && count < before + 2) {
      await new Promise((r) => setTimeout(r, 50));
      count = (await bob.tracks.get(trackId)).playCount;
    }
    await new Promise((r) => setTimeout(r, 300));
    expect((await bob.tracks.get(trackId)).playCount).to.equal(before + 2);
  });

  it("refuses a range beyond the end with RANGE_NOT_SATISFIABLE", async () => {
    const err = await bob.tracks.stream(trackId, { range: { start: 50_000_000 } }).catch((e) => e);
    expect(isAsixError(err, "RANGE_NOT_SATISFIABLE"), String(err)).to.equal(true);
  });

  it("follows, and the followee sees the follower", async () => {
    const aliceUser = await bob.users.getByHandle("alice");
    await bob.users.follow(aliceUser.id);
    const followers = await alice.users.followers(aliceUser.id);
    expect(followers.map((u) => u.handle)).to.deep.equal(["bob"]);
    expect((await alice.users.get(aliceUser.id)).followerCount).to.equal(1);
  });

  it("records a follow signed by another wallet as rejected and does not apply it", async () => {
    const aliceUser = await bob.users.getByHandle("alice");
    const bobUser = await bob.users.getByHandle("bob");
    // Carol's wallet claims to act as Bob: the chain accepts the signature, the indexer must not.
    const impostor = createAsix({ network: devnet, wallet: devnet.accounts[12].privateKey, userId: Number(BigInt(decodeId(bobUser.id))) });
    const err = await impostor.users.unfollow(aliceUser.id).catch((e) => e);
    expect(isAsixError(err, "UNAUTHORIZED"), String(err)).to.equal(true);
    expect((await alice.users.followers(aliceUser.id)).map((u) => u.handle)).to.deep.equal(["bob"]);
  });

  it("refuses an empty file and a non-audio file, and stores no track", async () => {
    const empty = await alice.tracks.upload(new Uint8Array(0), { title: "nothing" }).catch((e) => e);
    expect(isAsixError(empty, "INVALID_INPUT"), String(empty)).to.equal(true);
    const text = await alice.tracks
      .upload(Buffer.from("this is not audio at all, just text\n".repeat(100)), { title: "text" }, { filename: "fake.mp3" })
      .catch((e) => e);
    expect(isAsixError(text), String(text)).to.equal(true);
    expect(["UNSUPPORTED_MEDIA", "INVALID_INPUT", "UPLOAD_FAILED"]).to.include(text.code);
    const missing = await alice.tracks.upload("/no/such/file.mp3", { title: "x" }).catch((e) => e);
    expect(isAsixError(missing, "INVALID_INPUT")).to.equal(true);
  });

  it("answers NOT_FOUND for an unknown user or track", async () => {
    const u = await bob.users.get(2_999_999).catch((e) => e);
    expect(isAsixError(u, "NOT_FOUND"), String(u)).to.equal(true);
    const t = await bob.tracks.get("7eP5n").catch((e) => e);
    expect(isAsixError(t, "NOT_FOUND"), String(t)).to.equal(true);
  });

  it("refuses a write with no wallet, before anything is sent", async () => {
    const reader = createAsix({ network: devnet });
    const err = await reader.users.create({ handle: "nobody" }).catch((e) => e);
    expect(isAsixError(err, "INVALID_INPUT"), String(err)).to.equal(true);
    expect(err.message).to.match(/needs a wallet/);
  });
});
