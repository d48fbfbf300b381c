/** EBU R128 loudness: LUFS, LU, dBTP, and the ReplayGain 2.0 track gain in dB (reference -18 LUFS). */
export interface Loudness {
  integrated: number;
  range: number;
  truePeak: number;
  trackGain: number;
}

/**
 * Waveform peaks in the BBC audiowaveform JSON format, which peaks.js and wavesurfer.js load as is:
 * `data` holds `length` min,max pairs, each pair covering `samples_per_pixel` samples at `sample_rate`.
 */
export interface Waveform {
  version: 2;
  channels: 1;
  sample_rate: number;
  samples_per_pixel: number;
  bits: 8 | 16;
  length: number;
  data: number[];
}

export type AnalysisPart = "loudness" | "waveform" | "tempo" | "key";

/** What the analysis found; a part that failed is null and says why in `errors`. */
export interface AudioAnalysis {
  bpm: number | null;
  key: string | null;
  loudness: Loudness | null;
  waveform: Waveform | null;
  errors: { part: AnalysisPart; message: string }[];
}

/** A part's own failure: the analysis records it and goes on with the other parts. */
export class AnalysisPartError extends Error {}
