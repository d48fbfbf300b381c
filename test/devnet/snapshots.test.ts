import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, Wallet, parseEther } from "ethers";
import { startDevnet, type Devnet } from "../../devnet";
import { createAsix, cidOfBytes, type Asix } from "../../sdk";
import { makeAudio } from "../helpers/audio";
import { rejection } from "../helpers/errors";

/** Where a content node keeps a blob (blobStore.ts: blobs/<last two chars>/<cid>). */
const blobFiles = (dir: string, cid: string) =>
  fs
    .readdirSync(path.join(dir, "data"))
    .filter((d) => d.startsWith("content-node-"))
    .map((d) => path.join(dir, "data", d, "blobs", cid.slice(-2), cid))
    .filter((f) => fs.existsSync(f));

async function streamed(asix: Asix, trackId: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of (await asix.tracks.stream(trackId)).stream) chunks.push(c as Buffer);
  return cidOfBytes(Buffer.concat(chunks));
}

describe("devnet snapshots", function () {
  this.timeout(240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-snapshots-"));
  let devnet: Devnet;
  let eth: JsonRpcProvider;
  let data: JsonRpcProvider;
  const as = (i: number) => createAsix({ network: devnet, wallet: devnet.accounts[i].privateKey });
  const connect = () => {
    eth = new JsonRpcProvider(devnet.ethChain.url, devnet.ethChain.chainId, { staticNetwork: true, cacheTimeout: -1 });
    data = new JsonRpcProvider(devnet.dataChain.url, devnet.dataChain.chainId, { staticNetwork: true, cacheTimeout: -1 });
  };
  const disconnect = () => {
    eth?.destroy();
    data?.destroy();
  };
  let audio: string;
  let otherAudio: string;
  let aliceId: string;
  let keptTrack: { trackId: string; cid: string };
  let saved: { ethBlock: number; dataBlock: number; balance: bigint };
  const payee = () => devnet.accounts[13].address;

  before(async () => {
    [audio, otherAudio] = await Promise.all([makeAudio({ seconds: 2, format: "mp3" }), makeAudio({ seconds: 2, format: "mp3", frequency: 660 })]);
    devnet = await startDevnet({ dir, contentNodes: 2, persist: true, logs: false });
    connect();
    const alice = as(10);
    aliceId = (await alice.users.create({ handle: "snap_alice" })).userId;
    const up = await alice.tracks.upload(audio, { title: "Before the snapshot" });
    keptTrack = { trackId: up.trackId, cid: (await alice.tracks.get(up.trackId)).trackCid };
  });

  after(async () => {
    disconnect();
    await devnet?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("restores chains, index and blobs after further writes, and new writes work after", async () => {
    const info = await devnet.snapshots.save("base");
    saved = { ethBlock: await eth.getBlockNumber(), dataBlock: await data.getBlockNumber(), balance: await eth.getBalance(payee()) };
    expect(info).to.deep.include({ name: "base", persistent: true });
    expect(info.ethChain.blockNumber).to.equal(saved.ethBlock);
    expect(info.dataChain.blockNumber).to.equal(saved.dataBlock);
    expect(devnet.snapshots.list().map((s) => s.name)).to.deep.equal(["base"]);

    // Further writes: a user, an upload, a follow, and a plain eth transfer.
    const bob = as(11);
    const bobId = (await bob.users.create({ handle: "snap_bob" })).userId;
    const later = await as(10).tracks.upload(otherAudio, { title: "After the snapshot" });
    const laterCid = (await bob.tracks.get(later.trackId)).trackCid;
    await bob.users.follow(aliceId);
    await (await new Wallet(devnet.accounts[12].privateKey, eth).sendTransaction({ to: payee(), value: parseEther("1") })).wait();
    expect((await bob.users.followers(aliceId)).map((u) => u.handle)).to.deep.equal(["snap_bob"]);
    expect(blobFiles(dir, laterCid)).to.not.be.empty;
    expect(await eth.getBalance(payee())).to.equal(saved.balance + parseEther("1"));

    await devnet.snapshots.restore("base");

    // the chains
    expect(await eth.getBlockNumber()).to.equal(saved.ethBlock);
    expect(await data.getBlockNumber()).to.equal(saved.dataBlock);
    expect(await eth.getBalance(payee())).to.equal(saved.balance);
    // the index
    const reader = as(14);
    expect((await rejection(reader.users.get(bobId))).code).to.equal("NOT_FOUND");
    expect((await rejection(reader.tracks.get(later.trackId))).code).to.equal("NOT_FOUND");
    expect(await reader.users.followers(aliceId)).to.deep.equal([]);
    // the blobs
    expect(blobFiles(dir, laterCid)).to.deep.equal([]);
    expect(blobFiles(dir, keptTrack.cid)).to.not.be.empty;
    expect(await streamed(reader, keptTrack.trackId)).to.equal(keptTrack.cid);

    // new writes work
    const carol = as(15);
    await carol.users.create({ handle: "snap_carol" });
    await carol.users.follow(aliceId);
    expect((await reader.users.followers(aliceId)).map((u) => u.handle)).to.deep.equal(["snap_carol"]);
    await (await new Wallet(devnet.accounts[12].privateKey, eth).sendTransaction({ to: payee(), value: parseEther("2") })).wait();

    // and the same snapshot restores again
    await devnet.snapshots.restore("base");
    expect(await reader.users.followers(aliceId)).to.deep.equal([]);
    expect(await eth.getBalance(payee())).to.equal(saved.balance);
  });

  it("refuses an unknown snapshot (NOT_FOUND) and a name that is a path (INVALID_INPUT)", async () => {
    expect((await rejection(devnet.snapshots.restore("never-saved"))).code).to.equal("NOT_FOUND");
    for (const name of ["../base", "a/b", "..", "", ".hidden", "x".repeat(65)]) {
      expect((await rejection(devnet.snapshots.save(name))).code, name).to.equal("INVALID_INPUT");
      expect((await rejection(devnet.snapshots.restore(name))).code, name).to.equal("INVALID_INPUT");
    }
    expect(fs.readdirSync(path.join(dir, "snapshots"))).to.deep.equal(["base"]);
  });

  it("survives down/up: startDevnet({ snapshot }) starts from it, and a snapshot of an earlier process restores", async () => {
    // a second snapshot with Carol in it, then stop
    await as(15).users.create({ handle: "snap_carol" });
    await as(15).users.follow(aliceId);
    await devnet.snapshots.save("with-carol");
    disconnect();
    await devnet.stop();

    devnet = await startDevnet({ dir, contentNodes: 2, snapshot: "base", logs: false });
    connect();
    const reader = as(14);
    expect(await eth.getBlockNumber()).to.equal(saved.ethBlock);
    expect(await reader.users.followers(aliceId)).to.deep.equal([]);
    expect(await streamed(reader, keptTrack.trackId)).to.equal(keptTrack.cid);

    // made by the previous process: rebuilt from its journals
    await devnet.snapshots.restore("with-carol");
    expect((await reader.users.followers(aliceId)).map((u) => u.handle)).to.deep.equal(["snap_carol"]);
    // and back again, in memory
    await devnet.snapshots.restore("base");
    expect(await reader.users.followers(aliceId)).to.deep.equal([]);
    expect(await data.getBlockNumber()).to.equal(saved.dataBlock);
    await as(11).users.create({ handle: "snap_bob_again" });
  });
});

describe("devnet snapshots without persist", function () {
  this.timeout(120_000);

  it("restore within the process, cannot be started from, and do not restore onto another network", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-snapshots-mem-"));
    const devnet = await startDevnet({ dir, contentNodes: 1, logs: false });
    try {
      const asix = createAsix({ network: devnet, wallet: devnet.accounts[10].privateKey });
      await devnet.snapshots.save("empty");
      const { userId } = await asix.users.create({ handle: "gone_soon" });
      await devnet.snapshots.restore("empty");
      expect((await rejection(asix.users.get(userId))).code).to.equal("NOT_FOUND");
      expect(devnet.snapshots.list()[0]).to.include({ name: "empty", persistent: false });
    } finally {
      await devnet.stop();
    }
    const refused = await rejection(startDevnet({ dir, contentNodes: 1, logs: false, snapshot: "empty" }));
    expect(refused.code).to.equal("CONFLICT");
    expect(refused.message).to.contain("without persist");

    // a new network in the same dir: the old snapshot is not of it, and restoring it changes nothing
    const next = await startDevnet({ dir, contentNodes: 1, logs: false });
    try {
      const { userId } = await createAsix({ network: next, wallet: next.accounts[10].privateKey }).users.create({ handle: "stays" });
      const other = await rejection(next.snapshots.restore("empty"));
      expect(other.code).to.equal("CONFLICT");
      expect(other.message).to.contain("another network");
      expect((await createAsix({ network: next }).users.get(userId)).handle).to.equal("stays");
    } finally {
      await next.stop();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
