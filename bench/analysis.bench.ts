/**
 * Issue 19's analysis speed: loudness, waveform, tempo and key of a 5-minute track, as a multiple
 * of real time on one core, next to the transcode speed measured in the same run.
 *
 * The track: a chord progression over a beat (the seed's kind of music, from devnet/fixtures) made
 * a 44.1 kHz stereo WAV, like a CD-quality upload. Each run alternates the content node's real
 * transcode (transcodeAudio: 320 kbps / 48 kHz MP3 + preview, one ffmpeg run) with analyzeAudio on
 * the upload and on that MP3. Speed is audio seconds over CPU seconds — this process's and its
 * ffmpeg children's (user + system, from /proc/self/stat) — so it is per core and independent of
 * how busy the shared machine is, where wall-clock time is not. Wall time is reported beside it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { renderAudioFixture } from "../devnet/fixtures/audio";
import { analyzeAudio, type AudioAnalysis } from "../devnet/services/content-node/analysis";
import { decodeForAnalysis, ANALYSIS_SAMPLE_RATE } from "../devnet/services/content-node/analysis/decode";
import { detectKey } from "../devnet/services/content-node/analysis/key";
import { detectTempo } from "../devnet/services/content-node/analysis/tempo";
import { waveformOf } from "../devnet/services/content-node/analysis/waveform";
import { transcodeAudio } from "../devnet/services/content-node/audio";
import { runFfmpeg } from "../devnet/services/content-node/ffmpeg";
import { pairedRatio, round, spread, writeResult } from "./util";

const SECONDS = 300;
const RUNS = 3;
const TARGET = 100;

/** CPU ms of this process and of its children that have exited (ffmpeg), from /proc (10 ms ticks). */
function selfAndChildrenCpuMs(): number {
  const f = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
}

async function measure<T>(work: () => Promise<T>): Promise<{ cpuMs: number; wallMs: number; value: T }> {
  const cpu = selfAndChildrenCpuMs();
  const wall = performance.now();
  const value = await work();
  return { cpuMs: selfAndChildrenCpuMs() - cpu, wallMs: performance.now() - wall, value };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-bench-analysis-"));
  try {
    const mono = await renderAudioFixture(path.join(dir, "track-mono.wav"), { kind: "chords", tonic: "A", mode: "minor", bpm: 128, beat: true, seconds: SECONDS }, { fade: 2 });
    const upload = path.join(dir, "track.wav");
    await runFfmpeg(["-hide_banner", "-nostdin", "-v", "error", "-y", "-i", mono, "-ac", "2", "-ar", "44100", "-c:a", "pcm_s16le", upload]);
    const mp3 = path.join(dir, "track.mp3");

    const transcodeX: number[] = [];
    const uploadX: number[] = [];
    const mp3X: number[] = [];
    const wall: Record<string, number[]> = { transcode: [], analyseUpload: [], analyseMp3: [] };
    let found: AudioAnalysis | undefined;
    for (let run = 0; run < RUNS; run++) {
      const t = await measure(() => transcodeAudio({ input: upload, kind: "wav", output: mp3, previewOutput: path.join(dir, "preview.mp3"), previewStart: 0, duration: SECONDS }));
      transcodeX.push(SECONDS / (t.cpuMs / 1000));
      wall.transcode.push(t.wallMs / 1000);
      const a = await measure(() => analyzeAudio({ file: upload }));
      uploadX.push(SECONDS / (a.cpuMs / 1000));
      wall.analyseUpload.push(a.wallMs / 1000);
      const b = await measure(() => analyzeAudio({ file: mp3 }));
      mp3X.push(SECONDS / (b.cpuMs / 1000));
      wall.analyseMp3.push(b.wallMs / 1000);
      found = a.value;
    }

    // Where the time goes, on the upload: the one ffmpeg run, then each part in JS.
    const decode = await measure(() => decodeForAnalysis({ file: upload }));
    const pcm = decode.value.pcm;
    const part = async (f: () => unknown) => (await measure(async () => f())).cpuMs;
    const breakdownCpuMs = {
      ffmpegDecodeAndEbur128: decode.cpuMs,
      waveform: await part(() => waveformOf(pcm, ANALYSIS_SAMPLE_RATE, 1800)),
      tempo: await part(() => detectTempo(pcm, ANALYSIS_SAMPLE_RATE)),
      key: await part(() => detectKey(pcm, ANALYSIS_SAMPLE_RATE)),
    };

    writeResult("analysis", {
      machineLoadAverageAtStart: round(os.loadavg()[0], 1),
      track: { seconds: SECONDS, upload: "44.1 kHz stereo 16-bit WAV", music: "A minor chords over a 128 BPM beat" },
      measured: "audio seconds / CPU seconds (this process + ffmpeg children), i.e. × real time on one core",
      analysis: {
        ofUploadTimesRealTime: spread(uploadX, 0),
        ofTranscodedMp3TimesRealTime: spread(mp3X, 0),
        target: `≥ ${TARGET}×`,
        wallSeconds: { upload: spread(wall.analyseUpload), mp3: spread(wall.analyseMp3) },
        breakdownCpuMs,
        found: found && { bpm: found.bpm, key: found.key, loudness: found.loudness, waveformPoints: found.waveform?.length, errors: found.errors },
      },
      transcode: { timesRealTime: spread(transcodeX, 0), wallSeconds: spread(wall.transcode), of: "transcodeAudio: 320k/48 kHz MP3 + 30 s preview" },
      analysisOverTranscodeSpeed: pairedRatio(uploadX, transcodeX),
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
