import { forEachSpectrum } from "./stft";
import { AnalysisPartError } from "./types";

const FRAME = 8192;
const HOP = 4096;
const MIN_HZ = 55;
const MAX_HZ = 2000;
/** Shorter audio holds too few chords for a key worth reporting. */
export const MIN_KEY_SECONDS = 3;

export const PITCH_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"] as const;

/** Krumhansl–Kessler probe-tone profiles, C major and C minor. */
const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

/**
 * The key ("A minor", "C# major"): a chromagram (each FFT bin between 55 Hz and 2 kHz adds its
 * magnitude to its nearest pitch class), correlated with the Krumhansl–Schmuckler profiles in all
 * 24 rotations; the best correlation wins.
 */
export function detectKey(pcm: Float32Array, sampleRate: number): string {
  if (pcm.length < MIN_KEY_SECONDS * sampleRate) throw new AnalysisPartError(`too short for a key (under ${MIN_KEY_SECONDS} s)`);
  const chroma = chromaOf(pcm, sampleRate);
  const total = chroma.reduce((a, b) => a + b, 0);
  if (!(total > 1e-3)) throw new AnalysisPartError("no tonal content");
  let best = { score: -Infinity, name: "" };
  for (let tonic = 0; tonic < 12; tonic++) {
    for (const [profile, mode] of [[MAJOR, "major"], [MINOR, "minor"]] as const) {
      const rotated = chroma.map((_, pc) => profile[(pc - tonic + 12) % 12]);
      const score = pearson(chroma, rotated);
      if (score > best.score) best = { score, name: `${PITCH_NAMES[tonic]} ${mode}` };
    }
  }
  if (!(best.score > 0)) throw new AnalysisPartError("no key fits the pitch content");
  return best.name;
}

function chromaOf(pcm: Float32Array, sampleRate: number): number[] {
  const bins = FRAME / 2 + 1;
  const pcOf = new Int8Array(bins).fill(-1);
  for (let k = 1; k < bins; k++) {
    const hz = (k * sampleRate) / FRAME;
    if (hz < MIN_HZ || hz > MAX_HZ) continue;
    pcOf[k] = (((Math.round(12 * Math.log2(hz / 440)) + 69) % 12) + 12) % 12;
  }
  const chroma = new Array<number>(12).fill(0);
  forEachSpectrum(pcm, FRAME, HOP, (mags) => {
    for (let k = 1; k < bins; k++) if (pcOf[k] >= 0) chroma[pcOf[k]] += mags[k];
  });
  return chroma;
}

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : 0;
}
