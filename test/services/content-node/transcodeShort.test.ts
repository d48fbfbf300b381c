import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { renderAudioFixture } from "../../../devnet/fixtures/audio";
import { transcodeAudio } from "../../../devnet/services/content-node/audio";
import { FFMPEG_PATH } from "../../../devnet/services/content-node/ffmpeg";
import { spawnSync } from "node:child_process";

/** What the transcode made before the single encode: both outputs encoded by one ffmpeg run. */
function encodeBoth(input: string, full: string, preview: string, start: number): void {
  const encode = ["-map", "0:a:0", "-vn", "-map_metadata", "-1", "-c:a", "libmp3lame", "-b:a", "320k", "-ar", "48000", "-f", "mp3"];
  const r = spawnSync(FFMPEG_PATH, ["-hide_banner", "-nostdin", "-v", "error", "-y", "-i", input, ...encode, full, ...encode, "-ss", String(start), "-t", "30", preview]);
  if (r.status !== 0) throw new Error(String(r.stderr));
}

describe("content node: transcoding a track no longer than its preview", function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-transcode-short-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const seconds of [5, 17, 29.5]) {
    it(`gives a ${seconds} s track the same full and preview bytes as encoding both (one encode, copied)`, async () => {
      const input = await renderAudioFixture(path.join(dir, `in-${seconds}.wav`), { kind: "chords", tonic: "E", mode: "minor", bpm: 100, beat: true, seconds });
      const [full, preview, fullBoth, previewBoth] = ["full", "preview", "full-both", "preview-both"].map((n) => path.join(dir, `${n}-${seconds}.mp3`));
      await transcodeAudio({ input, kind: "wav", output: full, previewOutput: preview, previewStart: 0, duration: seconds });
      encodeBoth(input, fullBoth, previewBoth, 0);
      expect(fs.readFileSync(full).equals(fs.readFileSync(fullBoth)), "full").to.equal(true);
      expect(fs.readFileSync(preview).equals(fs.readFileSync(previewBoth)), "preview").to.equal(true);
      expect(fs.readFileSync(preview).equals(fs.readFileSync(full))).to.equal(true);
    });
  }

  it("still cuts a 30 s preview when the header claims a short track but the audio runs longer", async () => {
    const input = await renderAudioFixture(path.join(dir, "long.wav"), { kind: "chords", tonic: "G", mode: "major", bpm: 120, seconds: 40 });
    const [full, preview, fullBoth, previewBoth] = ["full", "preview", "full-both", "preview-both"].map((n) => path.join(dir, `${n}-long.mp3`));
    // a probed duration of 20 s (under the preview's length) for 40 s of audio: the decode check
    // allows longer audio, so the preview must still be the first 30 s, not the whole file
    await transcodeAudio({ input, kind: "wav", output: full, previewOutput: preview, previewStart: 0, duration: 20 });
    encodeBoth(input, fullBoth, previewBoth, 0);
    expect(fs.readFileSync(full).equals(fs.readFileSync(fullBoth)), "full").to.equal(true);
    expect(fs.readFileSync(preview).equals(fs.readFileSync(previewBoth)), "preview").to.equal(true);
    expect(fs.statSync(preview).size).to.be.below(fs.statSync(full).size * 0.8);
  });

  it("encodes a preview that starts later from the source, as before", async () => {
    const input = await renderAudioFixture(path.join(dir, "late.wav"), { kind: "chords", tonic: "D", mode: "major", bpm: 96, seconds: 20 });
    const [full, preview, fullBoth, previewBoth] = ["full", "preview", "full-both", "preview-both"].map((n) => path.join(dir, `${n}-late.mp3`));
    await transcodeAudio({ input, kind: "wav", output: full, previewOutput: preview, previewStart: 5, duration: 20 });
    encodeBoth(input, fullBoth, previewBoth, 5);
    expect(fs.readFileSync(preview).equals(fs.readFileSync(previewBoth))).to.equal(true);
    expect(fs.readFileSync(preview).equals(fs.readFileSync(full))).to.equal(false);
  });
});
