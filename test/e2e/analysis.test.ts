import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Devnet } from "../../devnet";
import { renderAudioFixture } from "../../devnet/fixtures/audio";
import { createAsix, isAsixError, type Asix, type TrackAnalysis } from "../../sdk";
import { startTestDevnet } from "../helpers/devnet";
import { asix as cli } from "../helpers/cli";

/** Poll until `read` gives a value `ready` accepts (a condition, not a sleep). */
async function until<T>(read: () => Promise<T>, ready: (v: T) => boolean, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ready(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("music analysis end to end: content node → discovery node → SDK and CLI", function () {
  this.timeout(240_000);
  let devnet: Devnet;
  let artist: Asix;
  let work: string;
  let trackId: string;
  let analysis: TrackAnalysis;

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "asix-e2e-analysis-"));
    devnet = await startTestDevnet();
    artist = createAsix({ network: devnet, wallet: devnet.accounts[10].privateKey });
    await artist.users.create({ handle: "tempo" });
  });
  after(async () => {
    await devnet?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("uploads a 120 BPM track in A minor and reads its tempo, key, loudness and waveform back from the discovery node", async () => {
    const file = await renderAudioFixture(path.join(work, "aminor.wav"), { kind: "chords", tonic: "A", mode: "minor", seconds: 12, bpm: 120, beat: true });
    ({ trackId } = await artist.tracks.upload(file, { title: "Minor Groove", genre: "Electronic" }));
    analysis = await until(() => artist.tracks.getAnalysis(trackId), (a) => a.waveformCid !== null || a.errorCount > 0, "the track's analysis");
    expect(analysis.errorCount).to.equal(0);
    expect(analysis.bpm).to.be.closeTo(120, 1);
    expect(analysis.musicalKey).to.equal("A minor");
    expect(analysis.loudness).to.have.all.keys("integrated", "range", "truePeak", "trackGain");
    expect(analysis.loudness!.integrated).to.be.within(-40, 0);

    const track = await artist.tracks.get(trackId);
    expect(track).to.include({ bpm: analysis.bpm, musicalKey: "A minor", waveformCid: analysis.waveformCid, audioAnalysisErrorCount: 0 });

    const waveform = await artist.tracks.getWaveform(trackId);
    expect(waveform).to.include({ cid: analysis.waveformCid, version: 2, channels: 1 });
    expect(waveform.data).to.have.length(2 * waveform.length);
    // 12 s of audio at the waveform's resolution
    expect((waveform.length * waveform.samplesPerPixel) / waveform.sampleRate).to.be.closeTo(12, 0.5);
  });

  it("finds the track by BPM range and key, and not by a range or key it is outside", async () => {
    const ids = async (query: string, params: Parameters<Asix["tracks"]["search"]>[1]) => (await artist.tracks.search(query, params)).map((t) => t.id);
    expect(await ids("minor groove", { bpmMin: 115, bpmMax: 125 })).to.deep.equal([trackId]);
    expect(await ids("", { bpmMin: 119, bpmMax: 121, key: "a MINOR" })).to.deep.equal([trackId]);
    expect(await ids("", { key: ["C major", "A minor"] })).to.deep.equal([trackId]);
    expect(await ids("minor groove", { bpmMin: 125, bpmMax: 140 })).to.deep.equal([]);
    expect(await ids("", { bpmMax: 100 })).to.deep.equal([]);
    expect(await ids("minor groove", { key: "A major" })).to.deep.equal([]);
    // without a filter the query is required, and the range must make sense
    for (const bad of [() => artist.tracks.search("", {}), () => artist.tracks.search("x", { bpmMin: 130, bpmMax: 120 })]) {
      const err = await bad().then(() => undefined, (e: unknown) => e);
      expect(isAsixError(err, "INVALID_INPUT"), String(err)).to.equal(true);
    }
  });

  it("asix track info shows the analysis, and upload --auto-preview starts the preview at the loudest 30 s", async () => {
    const on = ["--devnet", devnet.dir];
    const info = await cli(["track", "info", trackId, ...on]);
    expect(info.code, info.stderr).to.equal(0);
    expect(info.stdout).to.contain(`bpm ${analysis.bpm!.toFixed(1)}  key A minor`);
    expect(info.stdout).to.contain(`waveformCid ${analysis.waveformCid}`);
    expect(info.stdout).to.match(/loudness -?\d+\.\d LUFS/);
    const asJson = await cli(["track", "info", trackId, "--json", ...on]);
    expect(asJson.json).to.deep.include({ bpm: analysis.bpm, musicalKey: "A minor", loudness: analysis.loudness, waveformCid: analysis.waveformCid });

    // quiet, with 30 loud seconds from 2 s: the only loudest 30 s window starts at 2 s
    const file = await renderAudioFixture(path.join(work, "loud.wav"), { kind: "loudSection", seconds: 33, start: 2, length: 30 });
    const up = await cli(["upload", file, "--title", "Late bloom", "--auto-preview", "--account", "10", "--json", ...on]);
    expect(up.code, up.stderr).to.equal(0);
    expect(up.json.previewStartSeconds).to.be.closeTo(2, 1);
    expect(up.json.previewCid).to.match(/^Qm/);
  });
});
