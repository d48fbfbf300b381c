import { getTrackWaveform, type Asix, type TrackWaveform } from "../sdk";

/** The length of a track's preview (PROTOCOL.md §5). */
export const PREVIEW_SECONDS = 30;

/**
 * Where the loudest `windowSeconds` of a track start, in whole seconds: the window whose waveform
 * pixels have the most energy (each pixel's peak amplitude squared). 0 when the track is no longer
 * than the window.
 */
export function loudestWindowStart(waveform: Pick<TrackWaveform, "sampleRate" | "samplesPerPixel" | "length" | "data">, windowSeconds = PREVIEW_SECONDS): number {
  const pixelSeconds = waveform.samplesPerPixel / waveform.sampleRate;
  const window = Math.max(1, Math.round(windowSeconds / pixelSeconds));
  if (!(pixelSeconds > 0) || waveform.length <= window) return 0;
  const energy = (i: number) => Math.max(Math.abs(waveform.data[2 * i]), Math.abs(waveform.data[2 * i + 1])) ** 2;
  let sum = 0;
  for (let i = 0; i < window; i++) sum += energy(i);
  let best = sum;
  let bestStart = 0;
  for (let start = 1; start + window <= waveform.length; start++) {
    sum += energy(start + window - 1) - energy(start - 1);
    if (sum > best) (best = sum), (bestStart = start);
  }
  return Math.floor(bestStart * pixelSeconds);
}

/**
 * The preview start for a file: it is uploaded once to have the content node analyse it, and the
 * loudest 30 s of the waveform win. Undefined when the node made no waveform (the analysis failed).
 */
export async function autoPreviewStart(asix: Asix, file: string): Promise<number | undefined> {
  const probe = await asix.content.upload({ file, template: "audio", waitForAnalysis: true });
  const cid = probe.audioAnalysisResults?.waveformCid;
  if (!cid) return undefined;
  return loudestWindowStart(await getTrackWaveform(asix.client, { cid }));
}
