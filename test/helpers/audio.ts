import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const run = promisify(execFile);
export const FFMPEG: string = require("@ffmpeg-installer/ffmpeg").path;

/** Generate a real audio file with the npm ffmpeg binary (a sine tone). */
export async function makeAudio(opts: { seconds: number; format: "mp3" | "wav" | "flac"; dir?: string; frequency?: number }): Promise<string> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "asix-audio-"));
  const file = path.join(dir, `tone-${opts.seconds}s-${opts.frequency ?? 440}.${opts.format}`);
  const codec = opts.format === "mp3" ? ["-c:a", "libmp3lame", "-b:a", "128k"] : [];
  await run(FFMPEG, ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", `sine=frequency=${opts.frequency ?? 440}:duration=${opts.seconds}`, ...codec, file]);
  return file;
}
