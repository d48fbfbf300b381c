import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { keyName, PITCH_CLASSES, renderAudioFixture, type AudioFixture, type Mode } from "../../../../devnet/fixtures/audio";
import { analyzeAudio, type AudioAnalysis } from "../../../../devnet/services/content-node/analysis";
import { runFfmpeg } from "../../../../devnet/services/content-node/ffmpeg";

/** Render fixtures two at a time (the machine is shared), then analyse each once. */
async function renderAndAnalyze(dir: string, fixtures: Record<string, AudioFixture>): Promise<Record<string, AudioAnalysis>> {
  const names = Object.keys(fixtures);
  const out: Record<string, AudioAnalysis> = {};
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++];
      const file = await renderAudioFixture(path.join(dir, `${name}.wav`), fixtures[name]);
      out[name] = await analyzeAudio({ file });
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

describe("audio analysis: tempo and key on ground-truth fixtures", function () {
  this.timeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-analysis-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe("tempo", () => {
    const TEMPOS = [80, 100, 120, 128, 174];
    let results: Record<string, AudioAnalysis>;
    before(async () => {
      results = await renderAndAnalyze(dir, Object.fromEntries(TEMPOS.map((bpm) => [`click-${bpm}`, { kind: "click", bpm, seconds: 12 } as const])));
    });

    for (const bpm of TEMPOS) {
      it(`reads a ${bpm} BPM click track as ${bpm} ± 1 BPM (an octave off counts as wrong)`, () => {
        const a = results[`click-${bpm}`];
        expect(a.errors).to.deep.equal([]);
        expect(a.bpm).to.be.a("number");
        expect(a.bpm!).to.be.closeTo(bpm, 1);
      });
    }

    it("finds the tempo in the MP3 the content node transcodes to", async () => {
      const wav = await renderAudioFixture(path.join(dir, "click-mp3.wav"), { kind: "click", bpm: 140, seconds: 12 });
      const mp3 = path.join(dir, "click-140.mp3");
      await runFfmpeg(["-hide_banner", "-loglevel", "error", "-y", "-i", wav, "-c:a", "libmp3lame", "-b:a", "320k", "-ar", "48000", mp3]);
      const a = await analyzeAudio({ file: mp3 });
      expect(a.bpm!).to.be.closeTo(140, 1);
      expect(a.loudness).to.not.equal(null);
    });

    it("reports no tempo for a steady tone, with the reason", async () => {
      const file = await renderAudioFixture(path.join(dir, "steady.wav"), { kind: "tone", lufs: -20, seconds: 8 });
      const a = await analyzeAudio({ file });
      expect(a.bpm).to.equal(null);
      expect(a.errors.map((e) => e.part)).to.deep.equal(["tempo"]);
    });
  });

  describe("key", () => {
    // all twelve tonics, alternating major and minor, so each mode is tried six times
    const KEYS = PITCH_CLASSES.map((tonic, i) => ({ tonic, mode: (i % 2 === 0 ? "major" : "minor") as Mode }));
    let results: Record<string, AudioAnalysis>;
    before(async () => {
      results = await renderAndAnalyze(dir, Object.fromEntries(KEYS.map(({ tonic, mode }) => [keyName(tonic, mode), { kind: "chords", tonic, mode, seconds: 8 } as const])));
    });

    it("names the key of at least 9 of 12 chord progressions (I–IV–V–I and i–iv–V–i)", () => {
      const wrong = KEYS.map(({ tonic, mode }) => keyName(tonic, mode)).filter((k) => results[k].key !== k);
      if (wrong.length > 0) console.log(`      keys missed: ${wrong.map((k) => `${k} → ${results[k].key}`).join(", ")}`);
      expect(12 - wrong.length).to.be.at.least(9);
    });

    it("names keys as the tonic with sharps and the mode in words (\"C# minor\")", () => {
      for (const a of Object.values(results)) expect(a.key).to.match(/^[A-G]#? (major|minor)$/);
    });
  });
});
