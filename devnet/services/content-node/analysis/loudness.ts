import { AnalysisPartError, type Loudness } from "./types";

/** ReplayGain 2.0's reference level. */
export const REPLAYGAIN_REFERENCE_LUFS = -18;

/** ebur128 reports -70 LUFS (its absolute gate) when every block is gated out: silence. */
const ABSOLUTE_GATE_LUFS = -70;

const num = (label: string, summary: string): number | undefined => {
  const m = new RegExp(`^\\s*${label}:\\s+(-?(?:\\d+(?:\\.\\d+)?|inf))\\s`, "m").exec(summary);
  if (!m) return undefined;
  return m[1] === "-inf" ? -Infinity : Number(m[1]);
};

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The loudness from ffmpeg's `ebur128` summary (the last "Summary:" block of its log), with the
 * true peak measured beside it (linear, see truepeak.ts).
 */
export function loudnessFrom(log: string, truePeakLinear: number): Loudness {
  const at = log.lastIndexOf("Summary:");
  if (at < 0) throw new AnalysisPartError("ffmpeg printed no loudness summary");
  const summary = log.slice(at);
  const integrated = num("I", summary);
  const range = num("LRA", summary);
  const truePeak = 20 * Math.log10(truePeakLinear);
  if (integrated === undefined || range === undefined) throw new AnalysisPartError("cannot read ffmpeg's loudness summary");
  if (integrated <= ABSOLUTE_GATE_LUFS || !Number.isFinite(truePeak)) throw new AnalysisPartError("the audio is silent (below the -70 LUFS gate)");
  return { integrated: round1(integrated), range: round1(range), truePeak: round1(truePeak), trackGain: round1(REPLAYGAIN_REFERENCE_LUFS - integrated) };
}
