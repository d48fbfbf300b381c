import path from "node:path";
import { AsixError } from "../../../sdk/errors";
import type { AudioKind } from "./sniff";
import { SETPRIV, spawnTool } from "./spawnHelper";

/** ffmpeg from npm (`@ffmpeg-installer/ffmpeg`; it ships no ffprobe). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const FFMPEG_PATH: string = require("@ffmpeg-installer/ffmpeg").path;

/** The ffmpeg demuxer for each sniffed kind (mov reads m4a/mp4). */
export const DEMUXER_OF: Record<AudioKind, string> = { mp3: "mp3", wav: "wav", flac: "flac", ogg: "ogg", m4a: "mov" };

/**
 * Input options that make ffmpeg read exactly one local file as the kind the sniff found. Without
 * `-f`, ffmpeg probes the content itself and, behind an ID3 tag, happily opens an HLS playlist or a
 * concat list that names other files or URLs. The whitelist allows the file protocol only (no http,
 * rtp, concat:, subfile:, data:), and mov's external data references stay off.
 */
export function inputArgs(file: string, kind: AudioKind): string[] {
  return ["-protocol_whitelist", "file", "-f", DEMUXER_OF[kind], ...(kind === "m4a" ? ["-enable_drefs", "0"] : []), "-i", fileUrl(file)];
}

/** An absolute `file:` URL, so a path is never read as another protocol or an option. */
export const fileUrl = (file: string) => `file:${path.resolve(file)}`;

export interface RunOptions {
  signal?: AbortSignal;
  onStdoutLine?: (line: string) => void;
}

/** ffmpeg (`ffmpeg` is its path) with `args`, the given fds piped, started through the spawn helper (spawnHelper.ts). */
export function spawnFfmpeg(args: string[], fds: number[], ffmpeg = FFMPEG_PATH) {
  const [cmd, argv] = SETPRIV ? [SETPRIV, ["--pdeathsig", "KILL", "--", ffmpeg, ...args]] : [ffmpeg, args];
  return spawnTool(cmd, argv, fds);
}

/** Run ffmpeg; a non-zero exit becomes UPLOAD_FAILED carrying ffmpeg's last words. */
export async function runFfmpeg(args: string[], opts: RunOptions = {}): Promise<void> {
  const { signal, onStdoutLine } = opts;
  if (signal?.aborted) throw new AsixError("INTERNAL", "aborted");
  const child = await spawnFfmpeg(args, [1, 2]).catch((err: Error) => {
    throw new AsixError("INTERNAL", `cannot run ffmpeg: ${err.message}`, { cause: err });
  });
  return new Promise((resolve, reject) => {
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
      if (code !== 0) {
        return reject(new AsixError("UPLOAD_FAILED", `transcode failed: ${stderr.trim().split("\n").slice(-3).join(" ") || `exit ${code}`}`));
      }
      resolve();
    });
  });
}
