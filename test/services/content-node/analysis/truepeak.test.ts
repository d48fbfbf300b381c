import { expect } from "chai";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { renderAudioFixture } from "../../../../devnet/fixtures/audio";
import { analyzeAudio } from "../../../../devnet/services/content-node/analysis";
import { TruePeakMeter, WavTruePeak } from "../../../../devnet/services/content-node/analysis/truepeak";
import { FFMPEG_PATH } from "../../../../devnet/services/content-node/ffmpeg";

const RATE = 44100;

/** A 32-bit float WAV of interleaved frames, so samples over full scale survive. */
function writeFloatWav(file: string, channels: number, frames: Float32Array): string {
  const data = Buffer.from(frames.buffer, frames.byteOffset, frames.byteLength);
  const h = Buffer.alloc(44);
  h.write("RIFF", 0, "latin1");
  h.writeUInt32LE(36 + data.length, 4);
  h.write("WAVEfmt ", 8, "latin1");
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(3, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(RATE, 24);
  h.writeUInt32LE(RATE * 4 * channels, 28);
  h.writeUInt16LE(4 * channels, 32);
  h.writeUInt16LE(32, 34);
  h.write("data", 36, "latin1");
  h.writeUInt32LE(data.length, 40);
  fs.writeFileSync(file, Buffer.concat([h, data]));
  return file;
}

/** The reference: ffmpeg's own `ebur128=peak=true` (4× oversampling through libswresample), in dBTP. */
function ffmpegTruePeak(file: string): number {
  const r = spawnSync(FFMPEG_PATH, ["-hide_banner", "-nostdin", "-i", file, "-af", "ebur128=peak=true", "-f", "null", "-"], { encoding: "utf8" });
  const summary = r.stderr.slice(r.stderr.lastIndexOf("Summary:"));
  const m = /True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary);
  if (!m) throw new Error(`no true peak in ffmpeg's summary: ${summary}`);
  return Number(m[1]);
}

/** Stereo: left a sine at rate/4 sampled 45° off its crests (every sample at 0.707 of the crest, the classic intersample over); right a driven and hard-clipped 1 kHz sine. */
function intersampleOvers(seconds: number): Float32Array {
  const n = seconds * RATE;
  const frames = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    frames[2 * i] = Math.sin((2 * Math.PI * (RATE / 4) * i) / RATE + Math.PI / 4);
    frames[2 * i + 1] = Math.max(-0.9, Math.min(0.9, 2 * Math.sin((2 * Math.PI * 1000 * i) / RATE)));
  }
  return frames;
}

const dB = (x: number) => 20 * Math.log10(x);

describe("true peak (BS.1770-4 Annex 2, pruned, streamed) against ffmpeg's ebur128=peak=true", function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-truepeak-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("finds the +3 dB intersample over of a quarter-rate sine whose samples are all at 0 dBFS", () => {
    const meter = new TruePeakMeter(1);
    const frames = new Float32Array(RATE);
    for (let i = 0; i < frames.length; i++) frames[i] = Math.SQRT2 * Math.sin((Math.PI / 2) * i + Math.PI / 4);
    // samples are ±1 exactly; the waveform between them crests at √2, +3.01 dB
    meter.push(frames.subarray(0, 1000));
    meter.push(frames.subarray(1000));
    expect(dB(meter.finish())).to.be.closeTo(3.01, 0.1);
  });

  it("measures the same peak however the stream is cut: chunks under a frame, under the filter's length, at odd byte offsets", () => {
    // a fade-in with a click near each cut, so every seam holds samples that decide the peak
    const frames = new Float32Array(2 * 5000);
    for (let i = 0; i < 5000; i++) {
      const fade = i / 5000;
      frames[2 * i] = fade * Math.sin((2 * Math.PI * 11000 * i) / 48000 + 0.3);
      frames[2 * i + 1] = (i % 997 < 3 ? 0.9 : 0.2 * fade) * Math.sin((2 * Math.PI * 9000 * i) / 48000);
    }
    const whole = new TruePeakMeter(2);
    whole.push(frames);
    const expected = whole.finish();
    expect(expected).to.be.above(0.9);
    const wav = writeFloatWav(path.join(dir, "cuts.wav"), 2, frames);
    const bytes = fs.readFileSync(wav);
    for (const sizes of [[1], [3, 5, 7], [8 * 11], [8 * 11 + 3, 1, 2], [4096, 37], [65536]]) {
      const meter = new WavTruePeak();
      for (let at = 0, n = 0; at < bytes.length; n++) {
        const size = sizes[n % sizes.length];
        // a copy one byte into a fresh buffer, so the chunk starts at an odd offset as pipe chunks may
        const odd = Buffer.alloc(size + 1);
        bytes.copy(odd, 1, at, at + size);
        meter.push(odd.subarray(1, 1 + Math.min(size, bytes.length - at)));
        at += size;
      }
      expect(meter.finish(), `chunks of ${sizes.join(", ")} bytes`).to.equal(expected);
    }
  });

  it("agrees with ffmpeg within 0.1 dB on a signal with intersample overs and clipping, on each channel and both", async () => {
    const both = intersampleOvers(4);
    const left = both.filter((_, i) => i % 2 === 0);
    const right = both.filter((_, i) => i % 2 === 1);
    for (const [name, channels, frames] of [["both", 2, both], ["left", 1, left], ["right", 1, right]] as const) {
      const file = writeFloatWav(path.join(dir, `${name}.wav`), channels, frames);
      const { loudness } = await analyzeAudio({ file });
      const reference = ffmpegTruePeak(file);
      expect(loudness, name).to.not.equal(null);
      expect(loudness!.truePeak, name).to.be.closeTo(reference, 0.1);
      // the overs are real: the true peak is above the sample peak
      const samplePeak = dB(frames.reduce((m, x) => Math.max(m, Math.abs(x)), 0));
      expect(loudness!.truePeak, name).to.be.above(samplePeak + 0.3);
    }
  });

  it("agrees with ffmpeg within 0.1 dB on the fixtures (chords over a beat as WAV and 320k MP3, a tone, a loud section)", async () => {
    const fixtures = [
      await renderAudioFixture(path.join(dir, "chords.wav"), { kind: "chords", tonic: "A", mode: "minor", bpm: 128, seconds: 12, beat: true }),
      await renderAudioFixture(path.join(dir, "chords.mp3"), { kind: "chords", tonic: "D", mode: "major", bpm: 96, seconds: 12, beat: true }),
      await renderAudioFixture(path.join(dir, "tone.wav"), { kind: "tone", lufs: -14, seconds: 5 }),
      await renderAudioFixture(path.join(dir, "loud.wav"), { kind: "loudSection", seconds: 10, start: 4, length: 3, quietLufs: -30, loudLufs: -8 }),
    ];
    for (const file of fixtures) {
      const { loudness } = await analyzeAudio({ file });
      expect(loudness, file).to.not.equal(null);
      expect(loudness!.truePeak, file).to.be.closeTo(ffmpegTruePeak(file), 0.1);
    }
  });
});
