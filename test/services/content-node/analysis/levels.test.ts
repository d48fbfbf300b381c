import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { renderAudioFixture } from "../../../../devnet/fixtures/audio";
import { analyzeAudio, type AudioAnalysis } from "../../../../devnet/services/content-node/analysis";

describe("audio analysis: loudness, waveform and audio it cannot analyse", function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-analysis-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe("loudness", () => {
    for (const lufs of [-23, -14]) {
      it(`measures a tone calibrated to ${lufs} LUFS within ±0.5 LU, with its ReplayGain 2.0 track gain`, async () => {
        const file = await renderAudioFixture(path.join(dir, `tone${lufs}.wav`), { kind: "tone", lufs, seconds: 5 });
        const { loudness } = await analyzeAudio({ file });
        expect(loudness).to.not.equal(null);
        expect(loudness!.integrated).to.be.closeTo(lufs, 0.5);
        expect(loudness!.trackGain).to.be.closeTo(-18 - loudness!.integrated, 0.11);
        // a sine's true peak is 3 dB over its loudness here
        expect(loudness!.truePeak).to.be.closeTo(lufs + 3, 0.5);
        expect(loudness!.range).to.be.closeTo(0, 0.5);
      });
    }
  });

  describe("waveform", () => {
    let a: AudioAnalysis;
    const seconds = 20;
    before(async () => {
      const file = await renderAudioFixture(path.join(dir, "loud.wav"), { kind: "loudSection", seconds, start: 12, length: 3, quietLufs: -30, loudLufs: -8 });
      a = await analyzeAudio({ file });
    });

    it("is an audiowaveform v2 document of at most 1,800 8-bit min/max pairs covering the track", () => {
      const w = a.waveform!;
      expect(w).to.include({ version: 2, channels: 1, bits: 8 });
      expect(w.length).to.be.at.most(1800).and.at.least(1700);
      expect(w.data).to.have.length(2 * w.length);
      expect(w.data.every((v) => Number.isInteger(v) && v >= -128 && v <= 127)).to.equal(true);
      expect((w.length * w.samples_per_pixel) / w.sample_rate).to.be.closeTo(seconds, (w.samples_per_pixel / w.sample_rate) * 1.01);
    });

    it("puts the peaks where the loud section is (12 s to 15 s)", () => {
      const w = a.waveform!;
      const secondsAt = (i: number) => (i * w.samples_per_pixel) / w.sample_rate;
      const loudest = Math.max(...w.data);
      const loudPixels = Array.from({ length: w.length }, (_, i) => i).filter((i) => w.data[2 * i + 1] >= loudest * 0.9);
      expect(loudPixels.length).to.be.greaterThan(0);
      for (const i of loudPixels) expect(secondsAt(i)).to.be.within(12 - 0.05, 15 + 0.05);
      // the quiet part stays small (−30 vs −8 LUFS is 22 dB, a twelfth of the amplitude)
      const quiet = Array.from({ length: w.length }, (_, i) => i).filter((i) => secondsAt(i) < 11 || secondsAt(i) > 16);
      expect(Math.max(...quiet.map((i) => w.data[2 * i + 1]))).to.be.below(loudest / 8);
    });

    it("honours a requested number of points", async () => {
      const file = await renderAudioFixture(path.join(dir, "short-wf.wav"), { kind: "tone", lufs: -20, seconds: 3 });
      const { waveform } = await analyzeAudio({ file, waveformPoints: 100 });
      expect(waveform!.length).to.be.at.most(100).and.at.least(95);
    });
  });

  describe("audio it cannot analyse", () => {
    it("gives silence no loudness, tempo or key, each with its reason, and a flat waveform", async () => {
      const file = await renderAudioFixture(path.join(dir, "silence.wav"), { kind: "silence", seconds: 5 });
      const a = await analyzeAudio({ file });
      expect(a).to.include({ bpm: null, key: null, loudness: null });
      expect(a.errors.map((e) => e.part).sort()).to.deep.equal(["key", "loudness", "tempo"]);
      expect(a.waveform!.data.every((v) => v === 0)).to.equal(true);
    });

    it("gives a 1 s file its loudness and waveform but no tempo or key (too short), without throwing", async () => {
      const file = await renderAudioFixture(path.join(dir, "one-second.wav"), { kind: "chords", tonic: "A", mode: "minor", seconds: 1, bpm: 240, beat: true });
      const a = await analyzeAudio({ file });
      expect(a).to.include({ bpm: null, key: null });
      expect(a.errors.map((e) => e.part).sort()).to.deep.equal(["key", "tempo"]);
      expect(a.errors.every((e) => /too short/.test(e.message))).to.equal(true);
      expect(a.loudness).to.not.equal(null);
      expect(a.waveform).to.not.equal(null);
    });

    it("gives a corrupt file every part null, each with an error, without throwing", async () => {
      const file = path.join(dir, "corrupt.mp3");
      fs.writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
      const a = await analyzeAudio({ file });
      expect(a).to.deep.include({ bpm: null, key: null, loudness: null, waveform: null });
      expect(a.errors.map((e) => e.part).sort()).to.deep.equal(["key", "loudness", "tempo", "waveform"]);
    });

    it("gives a WAV cut off after its header every part null, each with an error", async () => {
      const whole = await renderAudioFixture(path.join(dir, "whole.wav"), { kind: "tone", lufs: -20, seconds: 2 });
      const cut = path.join(dir, "cut.wav");
      fs.writeFileSync(cut, fs.readFileSync(whole).subarray(0, 44));
      const a = await analyzeAudio({ file: cut });
      expect(a).to.deep.include({ bpm: null, key: null, loudness: null, waveform: null });
      expect(a.errors).to.have.length(4);
    });

    it("gives a missing file every part null, each with an error", async () => {
      const a = await analyzeAudio({ file: path.join(dir, "no-such-file.wav") });
      expect(a.errors).to.have.length(4);
      expect(a.waveform).to.equal(null);
    });

    it("rejects when aborted, the one case it does", async () => {
      const file = await renderAudioFixture(path.join(dir, "abort.wav"), { kind: "tone", lufs: -20, seconds: 30 });
      const controller = new AbortController();
      const pending = analyzeAudio({ file, signal: controller.signal });
      controller.abort();
      const err = await pending.then(() => undefined, (e: Error) => e);
      expect(err).to.be.instanceOf(Error);
    });
  });
});
