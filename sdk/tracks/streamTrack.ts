import type { Readable } from "node:stream";
import { AsixError, errorFromResponse } from "../errors";
import { networkError } from "../http";
import type { AsixClient } from "../client";
import { hashIdOf } from "../reads";
import { withDiscoveryNode } from "../selection";

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
  const path = `/v1/tracks/${hashIdOf(trackId, "track id")}/stream`;
  return withDiscoveryNode(
    client.selection,
    async (node) => {
      const url = `${node}${path}`;
      let res;
      try {
        res = await client.http.get(url, { maxRedirects: 0 });
      } catch (cause) {
        throw networkError(cause, "stream url", url);
      }
      if (res.status === 302 && typeof res.headers.location === "string") return res.headers.location;
      throw errorFromResponse(res.status, res.data, "stream url");
    },
    { idempotent: true },
  );
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
  let res;
  try {
    res = await client.http.get(url, { responseType: "stream", headers, timeout: 0 });
  } catch (cause) {
    throw networkError(cause, "stream", url);
  }
  if (res.status !== 200 && res.status !== 206) {
    const chunks: Buffer[] = [];
    for await (const c of res.data as Readable) chunks.push(c as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      body = undefined;
    }
    throw errorFromResponse(res.status, body, "stream");
  }
  return {
    stream: res.data as Readable,
    status: res.status,
    contentType: String(res.headers["content-type"] ?? "audio/mpeg"),
    contentLength: Number(res.headers["content-length"] ?? -1),
    contentRange: res.headers["content-range"] as string | undefined,
    url: res.request?.res?.responseUrl ?? url,
  };
}
