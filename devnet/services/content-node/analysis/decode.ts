import { spawn } from "node:child_process";
import { FFMPEG_PATH, SETPRIV, inputArgs } from "../ffmpeg";
import { sniffAudioFile } from "../sniff";

/** Tempo, key and waveform work on mono PCM at this rate: enough for chroma up to 5 kHz, and cheap. */
export const ANALYSIS_SAMPLE_RATE = 11025;

export interface Decoded {
  /** mono float PCM at ANALYSIS_SAMPLE_RATE */
  pcm: Float32Array;
  /** ffmpeg's stderr, which ends with the ebur128 summary */
  ebur128Log: string;
}

const MAX_LOG = 256 * 1024;

/**
 * One ffmpeg run: `ebur128` measures loudness on the file's own rate and channels (true peak
 * oversamples internally), then the same stream is downmixed and resampled to raw f32 on stdout.
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
    "-map", "0:a:0", "-vn",
    "-af", `ebur128=peak=true:framelog=verbose,aresample=${ANALYSIS_SAMPLE_RATE},aformat=sample_fmts=flt:channel_layouts=mono`,
    "-f", "f32le", "pipe:1",
  ];
  const ffmpeg = params.ffmpegPath ?? FFMPEG_PATH;
  const [cmd, argv] = SETPRIV ? [SETPRIV, ["--pdeathsig", "KILL", "--", ffmpeg, ...args]] : [ffmpeg, args];
  return new Promise<Decoded>((resolve, reject) => {
    if (params.signal?.aborted) return reject(new Error("aborted"));
    const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = "";
    const abort = () => child.kill("SIGKILL");
    params.signal?.addEventListener("abort", abort, { once: true });
    child.stdout.on("data", (d: Buffer) => {
      chunks.push(d);
      bytes += d.length;
    });
    child.stderr.on("data", (d: Buffer) => {
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
      resolve({ pcm, ebur128Log: stderr });
    });
  });
}

const lastLines = (s: string) => s.trim().split("\n").slice(-3).join(" ");
