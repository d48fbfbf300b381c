import { AnalysisPartError, type Waveform } from "./types";

export const DEFAULT_WAVEFORM_POINTS = 1800;

/**
 * Min/max peaks, 8-bit like `audiowaveform -b 8`: each pair covers `samples_per_pixel` samples, the
 * smallest whole number that fits the track into at most `points` pairs.
 */
export function waveformOf(pcm: Float32Array, sampleRate: number, points: number): Waveform {
  if (!Number.isInteger(points) || points < 1 || points > 100_000) throw new AnalysisPartError(`waveformPoints must be a whole number from 1 to 100000, not ${points}`);
  const spp = Math.max(1, Math.ceil(pcm.length / points));
  const length = Math.ceil(pcm.length / spp);
  const data = new Array<number>(length * 2);
  const q = (x: number) => Math.max(-128, Math.min(127, Math.round(x * 127)));
  for (let i = 0; i < length; i++) {
    let lo = Infinity;
    let hi = -Infinity;
    const end = Math.min(pcm.length, (i + 1) * spp);
    for (let j = i * spp; j < end; j++) {
      const s = pcm[j];
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
    data[2 * i] = q(lo);
    data[2 * i + 1] = q(hi);
  }
  return { version: 2, channels: 1, sample_rate: sampleRate, samples_per_pixel: spp, bits: 8, length, data };
}
