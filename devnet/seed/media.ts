import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import type { PlannedArtist, PlannedTrack } from "./plan";

/**
 * The seed's real media: PNG avatars and covers rendered with sharp from SVG (shapes only, no text,
 * so no font is needed), and audio rendered by the npm ffmpeg's lavfi (two sine partials and a
 * tremolo, faded in and out) as small mono WAVs the content nodes transcode like any upload.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const FFMPEG_PATH: string = require("@ffmpeg-installer/ffmpeg").path;
const run = promisify(execFile);

/** At most this many ffmpeg processes render seed audio at once (the content nodes transcode too). */
export const AUDIO_RENDER_CONCURRENCY = 2;
const SAMPLE_RATE = 22050;
const IMAGE_SIZE = 512;

export async function renderAvatar(artist: PlannedArtist, dir: string): Promise<string> {
  const [a, b] = artist.hues;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${IMAGE_SIZE}" height="${IMAGE_SIZE}">
  <defs><radialGradient id="g" cx="35%" cy="30%" r="80%"><stop offset="0" stop-color="hsl(${a},80%,70%)"/><stop offset="1" stop-color="hsl(${b},70%,30%)"/></radialGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/>
  <circle cx="256" cy="210" r="${90 + (artist.index % 5) * 6}" fill="hsl(${b},60%,85%)" opacity="0.9"/>
  <ellipse cx="256" cy="470" rx="170" ry="130" fill="hsl(${b},60%,85%)" opacity="0.9"/>
</svg>`;
  const file = path.join(dir, `avatar-${artist.index}.png`);
  await sharp(Buffer.from(svg)).png().toFile(file);
  return file;
}

export async function renderCover(track: PlannedTrack, dir: string): Promise<string> {
  const [a, b] = track.cover.hues;
  const n = track.cover.stripes;
  const stripes = Array.from({ length: n }, (_, i) => {
    const y = Math.round((i * IMAGE_SIZE) / n);
    return `<rect x="0" y="${y}" width="${IMAGE_SIZE}" height="${Math.ceil(IMAGE_SIZE / n / 2)}" fill="hsl(${(a + i * 17) % 360},75%,${40 + (i % 3) * 12}%)" opacity="0.75"/>`;
  }).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${IMAGE_SIZE}" height="${IMAGE_SIZE}">
  <rect width="100%" height="100%" fill="hsl(${b},55%,18%)"/>${stripes}
  <circle cx="${150 + (track.index * 37) % 220}" cy="${150 + (track.index * 53) % 220}" r="${60 + n * 8}" fill="hsl(${(a + 180) % 360},85%,60%)" opacity="0.85"/>
</svg>`;
  const file = path.join(dir, `cover-${track.index}.png`);
  await sharp(Buffer.from(svg)).png().toFile(file);
  return file;
}

/** Render one track's audio (a WAV of `track.seconds`): two sine partials, a tremolo, fades. */
export async function renderAudio(track: PlannedTrack, dir: string): Promise<string> {
  const { root, partial, tremolo } = track.tone;
  const fade = Math.min(1, track.seconds / 4);
  const sine = (f: number) => ["-f", "lavfi", "-i", `sine=f=${f}:r=${SAMPLE_RATE}:d=${track.seconds}`];
  const file = path.join(dir, `track-${track.index}.wav`);
  await run(FFMPEG_PATH, [
    "-hide_banner", "-loglevel", "error", "-y",
    ...sine(root), ...sine(partial),
    "-filter_complex", `amix=inputs=2:weights=0.7 0.3,tremolo=f=${tremolo}:d=0.3,afade=t=in:d=${fade},afade=t=out:st=${track.seconds - fade}:d=${fade}`,
    "-ac", "1", "-c:a", "pcm_s16le", file,
  ]);
  return file;
}

/** Run async jobs with at most `limit` at once. */
export function limiter(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export function makeMediaDir(parent: string): string {
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, "seed-media-"));
}
