import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startDevnet } from "../../devnet";
import { createAsix, cidOfBytes } from "../../sdk";
import { makeAudio } from "../helpers/audio";
import { freePortBase } from "../helpers/ports";

describe("devnet restart keeps the network (persist)", function () {
  it("replays both chains and keeps users, tracks, blobs and follows; new writes work", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-persist-"));
    const audio = await makeAudio({ seconds: 2, format: "mp3" });
    let devnet = await startDevnet({ dir, contentNodes: 1, persist: true, logs: false });
    let trackId: string;
    let aliceId: string;
    try {
      const alice = createAsix({ network: devnet, wallet: devnet.accounts[10].privateKey });
      aliceId = (await alice.users.create({ handle: "persisted" })).userId;
      trackId = (await alice.tracks.upload(audio, { title: "Kept" })).trackId;
      // saved while running, not only on a clean stop, so a crash keeps the network too
      expect(fs.existsSync(path.join(dir, "network.json"))).to.equal(true);
    } finally {
      await devnet.stop();
    }
    expect(fs.existsSync(path.join(dir, "network.json"))).to.equal(true);

    devnet = await startDevnet({ dir, contentNodes: 1, persist: true, logs: false });
    try {
      const bob = createAsix({ network: devnet, wallet: devnet.accounts[11].privateKey });
      expect((await bob.users.get(aliceId)).handle).to.equal("persisted");
      const track = await bob.tracks.get(trackId);
      expect(track.title).to.equal("Kept");
      const chunks: Buffer[] = [];
      for await (const c of (await bob.tracks.stream(trackId)).stream) chunks.push(c as Buffer);
      expect(await cidOfBytes(Buffer.concat(chunks))).to.equal(track.trackCid);
      await bob.users.create({ handle: "after_restart" });
      await bob.users.follow(aliceId);
      expect((await bob.users.followers(aliceId)).map((u) => u.handle)).to.deep.equal(["after_restart"]);
    } finally {
      await devnet.stop();
    }

    devnet = await startDevnet({ dir, contentNodes: 1, persist: true, reset: true, logs: false });
    try {
      const err = await createAsix({ network: devnet }).users.get(aliceId).catch((e) => e);
      expect(err.code).to.equal("NOT_FOUND");
    } finally {
      await devnet.stop();
    }
  });
});

describe("devnet restart from a first-format network.json", function () {
  it("replays the chains it saved into journals and keeps the network", async () => {
    // A first-format file from an earlier devnet (see test/fixtures/network-v1/README.md): today's
    // devnet starts from a prepared genesis, so it cannot write one itself.
    const fixture = path.join(__dirname, "..", "fixtures", "network-v1");
    const userId = "Qm06O4";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-persist-v1-"));
    fs.copyFileSync(path.join(fixture, "network.json"), path.join(dir, "network.json"));

    // its saved ports were free once, on another machine: a claimed base keeps parallel runs apart
    const devnet = await startDevnet({ dir, contentNodes: 1, persist: true, logs: false, portBase: await freePortBase() });
    try {
      expect((await createAsix({ network: devnet }).users.get(userId)).handle).to.equal("from_v1");
      expect(JSON.parse(fs.readFileSync(path.join(dir, "network.json"), "utf8")).version).to.equal(2);
      expect(fs.existsSync(path.join(dir, "data", "chains", "1056801.journal"))).to.equal(true);
    } finally {
      await devnet.stop();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
