import { AsixError } from "../errors";
import { request, requestJson, type CallOptions } from "../http";
import type { AsixClient } from "../client";
import { hashIdOf } from "../reads";

export interface ByteRange {
  /** first byte, inclusive */
  start: number;
  /** last byte, inclusive; to the end when omitted */
  end?: number;
}

export interface StreamTrackParameters extends CallOptions {
  /** only these bytes (HTTP Range) */
  range?: ByteRange;
}

export interface StreamTrackResult {
  /** the audio bytes, as a web stream (Node 20 and browsers; `for await` reads it in Node). In Node, saveStream (@asix/sdk/node) writes it to a file. */
  stream: ReadableStream<Uint8Array>;
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

/**
 * The signed content-node URL that serves a track, for an `<audio>` element or any HTTP client.
 * Asked with `no_redirect=true`, so the discovery node answers the URL itself: a browser's fetch
 * cannot read a redirect's Location.
 */
export async function getStreamUrl(client: AsixClient, trackId: number | string, options: CallOptions = {}): Promise<string> {
  const url = `${client.network.discoveryUrl}/v1/tracks/${hashIdOf(trackId, "track id")}/stream`;
  const body = await requestJson<{ data?: unknown }>(client, { url, query: { no_redirect: true }, signal: options.signal, timeoutMs: options.timeoutMs }, "stream url");
  if (typeof body?.data !== "string" || !/^https?:\/\//.test(body.data)) {
    throw new AsixError("NODE_UNAVAILABLE", "stream url: the discovery node answered no URL");
  }
  return body.data;
}

/** Stream a track's audio, whole or a byte range, from the content node the discovery node signs for. */
export async function streamTrack(client: AsixClient, trackId: number | string, params: StreamTrackParameters = {}): Promise<StreamTrackResult> {
  const headers: Record<string, string> = {};
  if (params.range) {
    const { start, end } = params.range;
    if (!Number.isSafeInteger(start) || start < 0 || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
      throw new AsixError("INVALID_INPUT", `invalid range ${JSON.stringify(params.range)}`);
    }
    headers.range = `bytes=${start}-${end ?? ""}`;
  }
  const url = await getStreamUrl(client, trackId, params);
  // No timeout unless asked: a long track streams for as long as the listener reads. The signal
  // also cuts the body short.
  const res = await request(client, { url, headers: { accept: "*/*", ...headers }, signal: params.signal, timeoutMs: params.timeoutMs ?? 0 }, "stream");
  if (!res.body) throw new AsixError("NODE_UNAVAILABLE", `stream: ${url} answered without a body`);
  return {
    stream: res.body as ReadableStream<Uint8Array>,
    status: res.status,
    contentType: res.headers.get("content-type") ?? "audio/mpeg",
    contentLength: Number(res.headers.get("content-length") ?? -1),
    contentRange: res.headers.get("content-range") ?? undefined,
    url: res.url || url,
  };
}
