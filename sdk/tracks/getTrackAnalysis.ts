import type { AsixClient } from "../client";
import type { CallOptions } from "../http";
import type { Camelized } from "../casing";
import type { AudioLoudness } from "../protocol/upload";
import type * as wire from "../protocol/models";
import { getData, hashIdOf } from "../reads";

export interface GetTrackAnalysisParameters extends CallOptions {
  /** integer id or hashid of the track */
  trackId: number | string;
}

/** What the content node's music analysis found for a track; a part not (yet) found is null. */
export interface TrackAnalysis {
  /** hashid of the track */
  trackId: string;
  /** tempo in beats per minute */
  bpm: number | null;
  /** musical key, e.g. "A minor" */
  musicalKey: string | null;
  /** EBU R128 loudness (LUFS, LU, dBTP) and the ReplayGain 2.0 track gain (dB, reference −18 LUFS) */
  loudness: Camelized<AudioLoudness> | null;
  /** CID of the waveform peaks (getTrackWaveform reads them) */
  waveformCid: string | null;
  /** parts of the analysis that failed; a part that failed stays null */
  errorCount: number;
}

/**
 * A track's tempo, key, loudness and waveform CID, as the discovery node has them from the
 * content node's analysis. Analysis runs after the upload, so a new track shows nulls for a while.
 */
export async function getTrackAnalysis(client: AsixClient, params: GetTrackAnalysisParameters): Promise<TrackAnalysis> {
  const track = await getData<wire.Track>(client, `/v1/tracks/${hashIdOf(params.trackId, "track id")}`, undefined, "get track analysis", params);
  return {
    trackId: track.id,
    bpm: track.bpm ?? null,
    musicalKey: track.musicalKey ?? null,
    loudness: track.loudness ?? null,
    waveformCid: track.waveformCid ?? null,
    errorCount: track.audioAnalysisErrorCount ?? 0,
  };
}
