import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { FIXTURE_RENDER_VERSION, FIXTURE_SAMPLE_RATE, PITCH_CLASSES, renderAudioFixture, type Mode, type PitchClass } from "../fixtures/audio";
import type { PlannedArtist, PlannedTrack } from "./plan";

/**
 * The seed's real media: PNG avatars and covers rendered with sharp from SVG (shapes only, no text,
 * so no font is needed), and audio from the ground-truth fixture generator (chords in a key over a
 * beat at a tempo, faded in and out) as small mono WAVs the content nodes transcode like any upload.
 */

/** At most this many ffmpeg processes render seed audio at once (the content nodes transcode too). */
export const AUDIO_RENDER_CONCURRENCY = 2;
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

/** Tempos the seed's tracks are played at, common ones from hip-hop to drum & bass. */
const SEED_TEMPOS = [84, 90, 96, 100, 108, 115, 120, 124, 128, 135, 140, 150, 160, 174];

/**
 * A track's music, fixed by its planned tone (so by the seed value): the key's tonic is the pitch
 * class nearest its root, the mode follows its tremolo, and the tempo comes from the list by its
 * index and partial.
 */
export function seedTrackMusic(track: PlannedTrack): { tonic: PitchClass; mode: Mode; bpm: number } {
  const { root, partial, tremolo } = track.tone;
  const tonic = PITCH_CLASSES[(((Math.round(12 * Math.log2(root / 440)) + 69) % 12) + 12) % 12];
  const mode: Mode = Math.round(tremolo * 2) % 2 === 0 ? "major" : "minor";
  const bpm = SEED_TEMPOS[(track.index * 5 + Math.round(partial)) % SEED_TEMPOS.length];
  return { tonic, mode, bpm };
}

/**
 * Where rendered seed audio is kept by default, shared by every devnet on this machine: a track's
 * samples depend only on what it plays, so a second seed (after a reset, or on another devnet)
 * copies them instead of computing them again.
 */
export const defaultAudioCacheDir = () => path.join(os.tmpdir(), `asix-seed-audio-v${FIXTURE_RENDER_VERSION}`);

/**
 * Render one track's audio (a WAV of `track.seconds`): a chord progression in its key with a click
 * on every beat at its tempo (see seedTrackMusic), faded in and out, from the fixture generator the
 * analysis tests use, so a seeded track's analysed tempo and key are known. With `cacheDir`, the file
 * is rendered once per content (keyed by the fixture, the fade, the rate and the generator's
 * version) and linked or copied from there.
 */
export async function renderAudio(track: PlannedTrack, dir: string, cacheDir?: string): Promise<string> {
  const fade = Math.min(1, track.seconds / 4);
  const fixture = { kind: "chords", ...seedTrackMusic(track), beat: true, seconds: track.seconds } as const;
  const file = path.join(dir, `track-${track.index}.wav`);
  if (!cacheDir) return renderAudioFixture(file, fixture, { fade });
  const key = createHash("sha256").update(JSON.stringify({ fixture, fade, rate: FIXTURE_SAMPLE_RATE, version: FIXTURE_RENDER_VERSION })).digest("hex").slice(0, 32);
  const cached = path.join(cacheDir, `${key}.wav`);
  if (!fs.existsSync(cached)) {
    fs.mkdirSync(cacheDir, { recursive: true });
    // rendered beside it and renamed, so a reader never sees half a file (another seed may race us)
    const partial = `${cached}.${process.pid}.${track.index}.partial`;
    try {
      await renderAudioFixture(partial, fixture, { fade });
      fs.renameSync(partial, cached);
    } finally {
      fs.rmSync(partial, { force: true });
    }
  }
  try {
    fs.linkSync(cached, file);
  } catch {
    fs.copyFileSync(cached, file); // another file system, or no hard links there
  }
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
