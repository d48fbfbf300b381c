import { decodeForAnalysis, ANALYSIS_SAMPLE_RATE } from "./decode";
import { detectKey } from "./key";
import { loudnessFrom } from "./loudness";
import { detectTempo } from "./tempo";
import { AnalysisPartError, type AnalysisPart, type AudioAnalysis } from "./types";
import { waveformOf, DEFAULT_WAVEFORM_POINTS } from "./waveform";

export type { AnalysisPart, AudioAnalysis, Loudness, Waveform } from "./types";
export { DEFAULT_WAVEFORM_POINTS } from "./waveform";

export interface AnalyzeAudioParams {
  /** a local audio file ffmpeg can read (an upload, or its transcode) */
  file: string;
  /** defaults to the npm ffmpeg */
  ffmpegPath?: string;
  /** aborting kills ffmpeg; the promise then rejects (the only time it does) */
  signal?: AbortSignal;
  /** min/max pairs in the waveform (default 1,800) */
  waveformPoints?: number;
}

const PARTS: AnalysisPart[] = ["loudness", "waveform", "tempo", "key"];

/**
 * Loudness, waveform, tempo and key of one audio file, from a single ffmpeg run that measures EBU
 * R128 loudness and decodes mono PCM at 11,025 Hz for the rest. Each part can fail alone (its field
 * is null and `errors` says why); bad audio never makes this reject, only an abort does.
 */
export async function analyzeAudio(params: AnalyzeAudioParams): Promise<AudioAnalysis> {
  const result: AudioAnalysis = { bpm: null, key: null, loudness: null, waveform: null, errors: [] };
  let decoded;
  try {
    decoded = await decodeForAnalysis({ file: params.file, ffmpegPath: params.ffmpegPath, signal: params.signal });
  } catch (err) {
    if (params.signal?.aborted) throw err;
    const message = `cannot decode the audio: ${(err as Error).message}`;
    result.errors = PARTS.map((part) => ({ part, message }));
    return result;
  }
  const part = <T>(name: AnalysisPart, compute: () => T): T | null => {
    try {
      return compute();
    } catch (err) {
      // a bug in one part must not cost the others (or the upload) either; it is reported the same way
      const message = err instanceof AnalysisPartError ? err.message : `internal error: ${(err as Error).message}`;
      result.errors.push({ part: name, message });
      return null;
    }
  };
  const { pcm, ebur128Log, truePeak } = decoded;
  result.loudness = part("loudness", () => loudnessFrom(ebur128Log, truePeak));
  result.waveform = part("waveform", () => waveformOf(pcm, ANALYSIS_SAMPLE_RATE, params.waveformPoints ?? DEFAULT_WAVEFORM_POINTS));
  result.bpm = part("tempo", () => detectTempo(pcm, ANALYSIS_SAMPLE_RATE));
  result.key = part("key", () => detectKey(pcm, ANALYSIS_SAMPLE_RATE));
  return result;
}
