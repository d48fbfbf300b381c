import type { Readable } from "node:stream";
import { inputArgs, spawnFfmpeg } from "../ffmpeg";
import { sniffAudioFile } from "../sniff";
import { WavTruePeak } from "./truepeak";

/** Tempo, key and waveform work on mono PCM at this rate: enough for chroma up to 5 kHz, and cheap. */
export const ANALYSIS_SAMPLE_RATE = 11025;

export interface Decoded {
  /** mono float PCM at ANALYSIS_SAMPLE_RATE */
  pcm: Float32Array;
  /** ffmpeg's stderr, which ends with the ebur128 summary */
  ebur128Log: string;
  /** BS.1770-4 true peak over all channels at the file's own rate, linear (1 = 0 dBTP) */
  truePeak: number;
}

const MAX_LOG = 256 * 1024;

/**
 * One ffmpeg run: the audio is resampled to 48 kHz (the rate ebur128 works at; ffmpeg would insert
 * that resampler anyway) and split. `ebur128` measures loudness on one branch, which is then
 * downmixed and resampled to raw f32 on stdout; the other branch goes as a float WAV (all channels)
 * to fd 3, where truepeak.ts measures the true peak while it streams. That is far cheaper than
 * ebur128's own true-peak mode, which oversamples everything, and measures the same 48 kHz signal,
 * so the figures agree (test/services/content-node/analysis/truepeak.test.ts).
 * Per-frame loudness lines go to the verbose log level, so stderr holds only the summary.
 * The file is read with the demuxer its sniffed kind names, from the file protocol only, like a
 * transcode (see ffmpeg.ts).
 */
export async function decodeForAnalysis(params: { file: string; ffmpegPath?: string; signal?: AbortSignal }): Promise<Decoded> {
  const kind = await sniffAudioFile(params.file).catch((err: Error) => {
    throw new Error(`cannot read the file: ${err.message}`);
  });
  if (!kind) throw new Error("not an audio format the content node reads");
  const args = [
    "-hide_banner", "-nostdin", "-loglevel", "info",
    ...inputArgs(params.file, kind),
    "-filter_complex",
    // downmixing before resampling halves the resampler's work for stereo
    `[0:a:0]aresample=48000,asplit=2[full][ana];[ana]ebur128=framelog=verbose,aformat=sample_fmts=flt:channel_layouts=mono,aresample=${ANALYSIS_SAMPLE_RATE}[mono];[full]aformat=sample_fmts=flt[peak]`,
    // without -flush_packets 0 each packet is its own write of a few kB, and reading those small
    // chunks cost this process more CPU than the true peak itself; buffered, writes are 32 kB
    "-map", "[mono]", "-flush_packets", "0", "-f", "f32le", "pipe:1",
    "-map", "[peak]", "-flush_packets", "0", "-c:a", "pcm_f32le", "-f", "wav", "pipe:3",
  ];
  if (params.signal?.aborted) throw new Error("aborted");
  const child = await spawnFfmpeg(args, [1, 2, 3], params.ffmpegPath).catch((err: Error) => {
    throw new Error(`cannot run ffmpeg: ${err.message}`);
  });
  return new Promise<Decoded>((resolve, reject) => {
    // all three are pipes, as asked above (typings only narrow the stdio array up to fd 2)
    const [, stdout, stderrPipe, fd3] = child.stdio as unknown as [null, Readable, Readable, Readable];
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = "";
    const abort = () => child.kill("SIGKILL");
    params.signal?.addEventListener("abort", abort, { once: true });
    const peak = new WavTruePeak();
    let peakError: Error | undefined;
    fd3.on("data", (d: Buffer) => {
      if (peakError) return;
      try {
        peak.push(d);
      } catch (err) {
        peakError = err as Error;
      }
    });
    stdout.on("data", (d: Buffer) => {
      chunks.push(d);
      bytes += d.length;
    });
    stderrPipe.on("data", (d: Buffer) => {
      stderr += d.toString();
      // keep the tail: the summary is printed last
      if (stderr.length > MAX_LOG) stderr = stderr.slice(-MAX_LOG / 2);
    });
    child.on("error", (err) => {
      params.signal?.removeEventListener("abort", abort);
      reject(new Error(`cannot run ffmpeg: ${err.message}`));
    });
    child.on("close", (code) => {
      params.signal?.removeEventListener("abort", abort);
      if (params.signal?.aborted) return reject(new Error("aborted"));
      if (code !== 0) return reject(new Error(`ffmpeg failed: ${lastLines(stderr) || `exit ${code}`}`));
      const all = Buffer.concat(chunks, bytes);
      const samples = Math.floor(all.length / 4);
      if (samples === 0) return reject(new Error("the file holds no audio samples"));
      // copy into an aligned buffer: Buffer.concat may return a slice of the shared pool
      const pcm = new Float32Array(samples);
      new Uint8Array(pcm.buffer).set(all.subarray(0, samples * 4));
      let truePeak: number;
      try {
        if (peakError) throw peakError;
        truePeak = peak.finish();
      } catch (err) {
        return reject(new Error(`cannot measure the true peak: ${(err as Error).message}`));
      }
      resolve({ pcm, ebur128Log: stderr, truePeak });
    });
  });
}

const lastLines = (s: string) => s.trim().split("\n").slice(-3).join(" ");
