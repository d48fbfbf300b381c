import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import { AsixError } from "../errors";
import { request } from "../http";
import type { AsixClient } from "../client";
import { hashIdOf } from "../reads";

export interface ByteRange {
  /** first byte, inclusive */
  start: number;
  /** last byte, inclusive; to the end when omitted */
  end?: number;
}

export interface StreamTrackParameters {
  /** only these bytes (HTTP Range) */
  range?: ByteRange;
}

export interface StreamTrackResult {
  /** the audio bytes */
  stream: Readable;
  /** 200 for the whole file, 206 for a range */
  status: number;
  contentType: string;
  /** bytes in this response */
  contentLength: number;
  /** e.g. "bytes 0-99/4096" for a range */
  contentRange?: string;
  /** the content node URL the bytes came from */
  url: string;
}

/** The content-node URL (with the discovery node's stream signature) that serves a track. */
export async function getStreamUrl(client: AsixClient, trackId: number | string): Promise<string> {
  const url = `${client.network.discoveryUrl}/v1/tracks/${hashIdOf(trackId, "track id")}/stream`;
  const res = await request(client, { url, redirect: "manual" }, "stream url");
  await res.body?.cancel();
  const location = res.headers.get("location");
  if (res.status === 302 && location) return location;
  throw new AsixError("NODE_UNAVAILABLE", `stream url: the discovery node answered HTTP ${res.status} without a redirect`);
}

/** Stream a track's audio, whole or a byte range, following the discovery node's redirect. */
export async function streamTrack(client: AsixClient, trackId: number | string, params: StreamTrackParameters = {}): Promise<StreamTrackResult> {
  const headers: Record<string, string> = {};
  if (params.range) {
    const { start, end } = params.range;
    if (!Number.isSafeInteger(start) || start < 0 || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
      throw new AsixError("INVALID_INPUT", `invalid range ${JSON.stringify(params.range)}`);
    }
    headers.range = `bytes=${start}-${end ?? ""}`;
  }
  const url = await getStreamUrl(client, trackId);
  // No timeout by default: a long track streams for as long as the listener reads.
  const res = await request(client, { url, headers: { accept: "*/*", ...headers }, timeoutMs: 0 }, "stream");
  if (!res.body) throw new AsixError("NODE_UNAVAILABLE", `stream: ${url} answered without a body`);
  return {
    stream: Readable.fromWeb(res.body as NodeWebReadableStream<Uint8Array>),
    status: res.status,
    contentType: res.headers.get("content-type") ?? "audio/mpeg",
    contentLength: Number(res.headers.get("content-length") ?? -1),
    contentRange: res.headers.get("content-range") ?? undefined,
    url: res.url || url,
  };
}
