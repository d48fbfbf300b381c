import { spawn } from "node:child_process";
import { AsixError } from "../../../sdk/errors";

/**
 * ffmpeg from npm (`@ffmpeg-installer/ffmpeg`): probing an upload and transcoding it to the
 * protocol's 320 kbps / 48 kHz MP3 plus a 30 s preview, in one decode.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const FFMPEG_PATH: string = require("@ffmpeg-installer/ffmpeg").path;

export const PREVIEW_SECONDS = 30;

export interface AudioProbe {
  /** seconds */
  duration: number;
  formatName: string;
  /** the audio stream's declared bitrate, kb/s, when ffmpeg reports one */
  streamKbps?: number;
  /** the whole file's bitrate from its size and duration, kb/s */
  fileKbps?: number;
}

/** Read the container header with `ffmpeg -i` (no output file: ffmpeg exits 1 after printing it). */
export async function probeAudio(file: string, signal?: AbortSignal): Promise<AudioProbe> {
  const { stderr } = await run(["-hide_banner", "-nostdin", "-i", file], signal);
  const input = /Input #0, ([^,]+(?:,[^,\s]+)*), from/.exec(stderr);
  const duration = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(stderr);
  const audio = /Stream #0:\d+(?:\[[^\]]*\])?(?:\([^)]*\))?: Audio: ([^\n]*)/.exec(stderr);
  if (!input || !audio) throw new AsixError("UNSUPPORTED_MEDIA", "the file is not audio that ffmpeg can read");
  if (!duration) throw new AsixError("UNSUPPORTED_MEDIA", "the audio has no duration (truncated or damaged)");
  const seconds = Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]);
  const streamKbps = /(\d+) kb\/s/.exec(audio[1]);
  const fileKbps = /Duration:[^\n]*bitrate: (\d+) kb\/s/.exec(stderr);
  return {
    duration: seconds,
    formatName: input[1],
    streamKbps: streamKbps ? Number(streamKbps[1]) : undefined,
    fileKbps: fileKbps ? Number(fileKbps[1]) : undefined,
  };
}

/**
 * Refuse audio that cannot be played whole: no decodable length, or an MP3 whose header (Xing/Info
 * frame count) promises far more audio than the bytes hold, i.e. a truncated file.
 */
export function checkPlayable(probe: AudioProbe): void {
  if (!(probe.duration > 0)) throw new AsixError("UNSUPPORTED_MEDIA", "the audio is empty");
  if (probe.formatName.split(",").includes("mp3") && probe.streamKbps && probe.fileKbps !== undefined) {
    if (probe.fileKbps < probe.streamKbps * 0.9) {
      throw new AsixError("UNSUPPORTED_MEDIA", "the MP3 is truncated: its header declares more audio than the file holds");
    }
  }
}

export interface TranscodeJob {
  input: string;
  output: string;
  previewOutput: string;
  previewStart: number;
  /** the source's duration in seconds, for progress */
  duration: number;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** 320 kbps / 48 kHz MP3 of the whole file, and a 30 s preview from `previewStart`, in one ffmpeg run. */
export async function transcodeAudio(job: TranscodeJob): Promise<void> {
  const encode = ["-map", "0:a:0", "-vn", "-map_metadata", "-1", "-c:a", "libmp3lame", "-b:a", "320k", "-ar", "48000", "-f", "mp3"];
  const args = [
    "-hide_banner", "-nostdin", "-v", "error", "-progress", "pipe:1", "-y",
    "-i", job.input,
    ...encode, job.output,
    ...encode, "-ss", String(job.previewStart), "-t", String(PREVIEW_SECONDS), job.previewOutput,
  ];
  await run(args, job.signal, (line) => {
    const m = /^out_time_us=(\d+)/.exec(line);
    if (m && job.duration > 0) job.onProgress?.(Math.min(0.99, Number(m[1]) / 1e6 / job.duration));
  }, true);
}

/** Run ffmpeg; with `mustSucceed`, a non-zero exit becomes UPLOAD_FAILED carrying ffmpeg's message. */
function run(args: string[], signal?: AbortSignal, onStdoutLine?: (line: string) => void, mustSucceed = false): Promise<{ stderr: string }> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AsixError("INTERNAL", "aborted"));
    const child = spawn(FFMPEG_PATH, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let pending = "";
    const abort = () => child.kill("SIGKILL");
    signal?.addEventListener("abort", abort, { once: true });
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += d.toString();
    });
    child.stdout.on("data", (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split("\n");
      pending = lines.pop()!;
      if (onStdoutLine) lines.forEach(onStdoutLine);
    });
    child.on("error", (err) => {
      signal?.removeEventListener("abort", abort);
      reject(new AsixError("INTERNAL", `cannot run ffmpeg: ${err.message}`, { cause: err }));
    });
    child.on("close", (code) => {
      signal?.removeEventListener("abort", abort);
      if (signal?.aborted) return reject(new AsixError("INTERNAL", "aborted"));
      if (mustSucceed && code !== 0) {
        return reject(new AsixError("UPLOAD_FAILED", `transcode failed: ${stderr.trim().split("\n").slice(-3).join(" ") || `exit ${code}`}`));
      }
      resolve({ stderr });
    });
  });
}
