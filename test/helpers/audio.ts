import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const run = promisify(execFile);
export const FFMPEG: string = require("@ffmpeg-installer/ffmpeg").path;

export type AudioFormat = "mp3" | "wav" | "flac" | "ogg" | "m4a";

const CODEC: Record<AudioFormat, string[]> = {
  mp3: ["-c:a", "libmp3lame", "-b:a", "128k"],
  wav: [],
  flac: [],
  ogg: ["-c:a", "libvorbis"],
  m4a: ["-c:a", "aac"],
};

/** Generate a real audio file with the npm ffmpeg binary (a sine tone). */
export async function makeAudio(opts: {
  seconds: number;
  format: AudioFormat;
  dir?: string;
  frequency?: number;
  /** Hz; default ffmpeg's sine source rate (44.1 kHz) */
  sampleRate?: number;
  /** WAV sample format, e.g. "pcm_u8" for the smallest file per second */
  wavCodec?: string;
}): Promise<string> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "asix-audio-"));
  const file = path.join(dir, `tone-${opts.seconds}s-${opts.frequency ?? 440}${opts.sampleRate ? `-${opts.sampleRate}` : ""}.${opts.format}`);
  const rate = opts.sampleRate ? [`:sample_rate=${opts.sampleRate}`] : [];
  const codec = opts.format === "wav" && opts.wavCodec ? ["-c:a", opts.wavCodec] : CODEC[opts.format];
  await run(FFMPEG, ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", `sine=frequency=${opts.frequency ?? 440}:duration=${opts.seconds}${rate.join("")}`, ...codec, file]);
  return file;
}

/** An ID3v2.4 tag with `padding` zero bytes of body, followed by `after`: what an "MP3" is to the sniff. */
export function id3Then(after: string | Uint8Array, padding = 32): Buffer {
  const header = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, (padding >> 21) & 0x7f, (padding >> 14) & 0x7f, (padding >> 7) & 0x7f, padding & 0x7f]);
  return Buffer.concat([header, Buffer.alloc(padding), typeof after === "string" ? Buffer.from(after) : after]);
}

/** An HLS playlist with one segment per URI. */
export const hlsPlaylist = (uris: string[], segmentSeconds = 7) =>
  `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:${segmentSeconds}\n${uris.map((u) => `#EXTINF:${segmentSeconds},\n${u}\n`).join("")}#EXT-X-ENDLIST\n`;

/** A copy of a FLAC file whose STREAMINFO claims `seconds` of audio (the frames are untouched). */
export function withFlacDuration(flac: Buffer, seconds: number): Buffer {
  const out = Buffer.from(flac);
  // STREAMINFO is the first metadata block: "fLaC", a 4-byte block header, then 34 bytes whose bytes
  // 10..17 pack sample rate (20 bits), channels (3), bits per sample (5) and total samples (36).
  const info = 8;
  const sampleRate = (out[info + 10] << 12) | (out[info + 11] << 4) | (out[info + 12] >> 4);
  const total = BigInt(Math.round(seconds * sampleRate));
  out[info + 13] = (out[info + 13] & 0xf0) | Number((total >> 32n) & 0xfn);
  out.writeUInt32BE(Number(total & 0xffffffffn), info + 14);
  return out;
}
