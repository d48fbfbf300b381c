import { AsixError } from "../errors";
import type { AsixClient } from "../client";
import { cidOfBytes, isCid } from "../cid";
import { request, type CallOptions } from "../http";
import { orderContentNodes } from "../content/nodes";
import { getTrackAnalysis } from "./getTrackAnalysis";

/** The track whose waveform to read, or the waveform's CID itself (an upload's `waveformCid`, before any track). */
export type GetTrackWaveformParameters = CallOptions &
  (
    | {
        /** integer id or hashid of the track */
        trackId: number | string;
        /** not with `trackId` */
        cid?: never;
      }
    | {
        /** the waveform blob's CID */
        cid: string;
        /** not with `cid` */
        trackId?: never;
      }
  );

/**
 * A track's waveform peaks: min/max pairs (`data[2i]`, `data[2i + 1]`) per pixel, in the BBC
 * audiowaveform format that peaks.js and wavesurfer.js load (here with camelCase keys; the content
 * node's `/ipfs/<cid>` serves the JSON itself).
 */
export interface TrackWaveform {
  /** CID of the waveform blob */
  cid: string;
  /** format version: 2 */
  version: 2;
  /** channels: 1 (the peaks of the mix) */
  channels: 1;
  /** sample rate of the analysed audio, Hz */
  sampleRate: number;
  /** audio samples per pixel (per min/max pair) */
  samplesPerPixel: number;
  /** sample resolution of the peaks: 8 (−128..127) or 16 bits */
  bits: 8 | 16;
  /** pixels: `data` holds 2 × length values */
  length: number;
  /** min, max, min, max, … */
  data: number[];
}

/** The largest waveform accepted (a few kB in practice). */
const MAX_WAVEFORM_BYTES = 256 * 1024;

/**
 * A track's waveform, fetched by its CID from the content nodes in rendezvous order; the bytes are
 * checked against the CID, so a node cannot hand out other peaks.
 */
export async function getTrackWaveform(client: AsixClient, params: GetTrackWaveformParameters): Promise<TrackWaveform> {
  if (params.cid !== undefined) {
    if (!isCid(params.cid)) throw new AsixError("INVALID_INPUT", `not a CID: ${JSON.stringify(params.cid)}`);
    return fetchWaveform(client, params.cid, params);
  }
  const { waveformCid } = await getTrackAnalysis(client, { ...params, trackId: params.trackId });
  if (!waveformCid) throw new AsixError("NOT_FOUND", `track ${params.trackId} has no waveform (not analysed yet, or the analysis failed)`);
  return fetchWaveform(client, waveformCid, params);
}

/** A waveform blob by CID, from the content nodes in rendezvous order, checked against the CID. */
async function fetchWaveform(client: AsixClient, waveformCid: string, params: CallOptions): Promise<TrackWaveform> {
  let lastError: unknown;
  for (const node of await orderContentNodes(client, waveformCid)) {
    try {
      const res = await request(client, { url: `${node.replace(/\/+$/, "")}/ipfs/${waveformCid}`, signal: params.signal, timeoutMs: params.timeoutMs }, "get track waveform");
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.length > MAX_WAVEFORM_BYTES || (await cidOfBytes(bytes)) !== waveformCid) {
        throw new AsixError("NODE_UNAVAILABLE", `get track waveform: ${node} answered bytes that are not ${waveformCid}`);
      }
      return { cid: waveformCid, ...parseWaveform(JSON.parse(new TextDecoder().decode(bytes))) };
    } catch (err) {
      if (params.signal?.aborted) throw err;
      lastError = err;
    }
  }
  throw new AsixError("NODE_UNAVAILABLE", `get track waveform: no content node served ${waveformCid}`, { cause: lastError });
}

function parseWaveform(json: unknown): Omit<TrackWaveform, "cid"> {
  const w = json as Record<string, unknown>;
  const ints = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  const data = w?.data;
  if (
    w?.version !== 2 || w.channels !== 1 || !ints(w.sample_rate) || !ints(w.samples_per_pixel) || (w.bits !== 8 && w.bits !== 16) ||
    !ints(w.length) || !Array.isArray(data) || data.length !== 2 * (w.length as number) || !data.every((v) => Number.isInteger(v))
  ) {
    throw new AsixError("NODE_UNAVAILABLE", "get track waveform: the blob is not a BBC audiowaveform v2 waveform");
  }
  return {
    version: 2,
    channels: 1,
    sampleRate: w.sample_rate as number,
    samplesPerPixel: w.samples_per_pixel as number,
    bits: w.bits as 8 | 16,
    length: w.length as number,
    data: data as number[],
  };
}
