import { expect } from "chai";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { renderAudio, seedTrackMusic } from "../../devnet/seed/media";
import { planSeed } from "../../devnet/seed/plan";
import { analyzeAudio } from "../../devnet/services/content-node/analysis";

describe("devnet seed: audio with a known tempo and key", function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-seed-audio-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const plan = planSeed(7, { artists: 2, tracks: 6, playlists: 1, albums: 1, seconds: [8, 12] });

  it("gives the seeded tracks varied tempos and keys", () => {
    const music = plan.tracks.map(seedTrackMusic);
    expect(new Set(music.map((m) => m.bpm)).size).to.be.at.least(3);
    expect(new Set(music.map((m) => `${m.tonic} ${m.mode}`)).size).to.be.at.least(2);
  });

  it("renders each track so the analysis reads back its planned tempo (±1 BPM) and key", async () => {
    for (const track of plan.tracks) {
      const { tonic, mode, bpm } = seedTrackMusic(track);
      const a = await analyzeAudio({ file: await renderAudio(track, dir) });
      expect(a.bpm, `track ${track.index}`).to.be.a("number");
      expect(a.bpm!, `track ${track.index}`).to.be.closeTo(bpm, 1);
      expect(a.key, `track ${track.index}`).to.equal(`${tonic} ${mode}`);
    }
  });

  it("renders the same bytes for the same seed value", async () => {
    const track = plan.tracks[0];
    const hash = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
    const first = hash(await renderAudio(track, dir));
    const again = planSeed(7, { artists: 2, tracks: 6, playlists: 1, albums: 1, seconds: [8, 12] }).tracks[0];
    const otherDir = fs.mkdtempSync(path.join(dir, "again-"));
    expect(hash(await renderAudio(again, otherDir))).to.equal(first);
  });

  it("renders a track once into the audio cache and gives later seeds the same bytes from it", async () => {
    const cache = path.join(dir, "cache");
    const hash = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
    const [a, b] = plan.tracks;
    const fresh = hash(await renderAudio(a, fs.mkdtempSync(path.join(dir, "fresh-"))));
    const first = await renderAudio(a, fs.mkdtempSync(path.join(dir, "first-")), cache);
    expect(hash(first)).to.equal(fresh);
    const cached = fs.readdirSync(cache);
    expect(cached).to.have.length(1);
    // the next seed's copy comes from the cache: mark the cached file and see the mark arrive
    const marked = path.join(cache, cached[0]);
    const bytes = fs.readFileSync(marked);
    fs.writeFileSync(marked, Buffer.concat([bytes.subarray(0, bytes.length - 1), Buffer.from([bytes[bytes.length - 1] ^ 1])]));
    const second = await renderAudio(a, fs.mkdtempSync(path.join(dir, "second-")), cache);
    expect(fs.readFileSync(second).equals(fs.readFileSync(marked))).to.equal(true);
    fs.writeFileSync(marked, bytes);
    // deleting the seed's copy after its upload leaves the cache whole
    fs.rmSync(second);
    expect(hash(marked)).to.equal(fresh);
    // another track is another entry
    await renderAudio(b, fs.mkdtempSync(path.join(dir, "other-")), cache);
    expect(fs.readdirSync(cache).filter((f) => f.endsWith(".wav"))).to.have.length(2);
  });
});
