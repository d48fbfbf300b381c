import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import { AsixError } from "../errors";
import { request } from "../http";
import type { AsixClient } from "../client";
import { hashIdOf } from "../reads";
import { withDiscoveryNode } from "../selection";
import { emitTo } from "../selection/events";
import { now } from "../selection/probe";
import { resumableBody } from "../selection/resume";
import { orderContentNodes } from "../content/nodes";

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
      const res = await request(client, { url: `${node}${path}`, redirect: "manual" }, "stream url");
      await res.body?.cancel();
      const location = res.headers.get("location");
      if (res.status === 302 && location) return location;
      throw new AsixError("NODE_UNAVAILABLE", `stream url: the discovery node answered HTTP ${res.status} without a redirect`);
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
  const started = now();
  const url = await getStreamUrl(client, trackId);
  // No timeout by default: a long track streams for as long as the listener reads.
  const res = await request(client, { url, headers: { accept: "*/*", ...headers }, timeoutMs: 0 }, "stream");
  if (!res.body) throw new AsixError("NODE_UNAVAILABLE", `stream: ${url} answered without a body`);
  const start = res.status === 206 ? (params.range?.start ?? 0) : 0;
  const length = Number(res.headers.get("content-length") ?? Number.NaN);
  // A break mid-way resumes on another node at the byte reached, so the reader gets the whole file.
  const body = resumableBody({
    first: res.body,
    start,
    end: Number.isSafeInteger(length) && length >= 0 ? start + length : undefined,
    reopen: resumeElsewhere(client, res.url || url, params.range?.end, started),
  });
  return {
    stream: Readable.fromWeb(body as NodeWebReadableStream<Uint8Array>),
    status: res.status,
    contentType: res.headers.get("content-type") ?? "audio/mpeg",
    contentLength: Number(res.headers.get("content-length") ?? -1),
    contentRange: res.headers.get("content-range") ?? undefined,
    url: res.url || url,
  };
}

/**
 * Where a broken stream goes on: the same signed path (any registered content node accepts the
 * discovery node's signature) on the next healthy node in the CID's rendezvous order, from `offset`.
 */
function resumeElsewhere(client: AsixClient, servedUrl: string, rangeEnd: number | undefined, started: number) {
  let current = new URL(servedUrl);
  const failed = new Set<string>();
  return async (offset: number, failure: unknown): Promise<ReadableStream<Uint8Array>> => {
    const cid = /\/tracks\/cidstream\/([^/?]+)/.exec(current.pathname)?.[1];
    if (!cid) throw new AsixError("NODE_UNAVAILABLE", `stream broke at byte ${offset} and ${current.origin} is not a content node stream`, { cause: failure });
    failed.add(current.origin);
    client.selection.content.forget(current.origin);
    emitTo(client.selection.onEvent, { type: "failover", service: "content", node: current.origin, reason: "stream broken", ms: Math.round(now() - started) });
    const candidates = (await orderContentNodes(client, cid)).filter((node) => !failed.has(new URL(node).origin));
    for (const node of candidates) {
      const next = new URL(`${current.pathname}${current.search}`, node);
      try {
        const res = await request(client, { url: next.href, headers: { accept: "*/*", range: `bytes=${offset}-${rangeEnd ?? ""}` }, timeoutMs: 0 }, "stream resume");
        if (res.status === 206 && res.body) {
          current = new URL(res.url || next.href);
          emitTo(client.selection.onEvent, { type: "select", service: "content", node: current.origin, reason: "resume", ms: Math.round(now() - started) });
          return res.body;
        }
        await res.body?.cancel();
      } catch {
        // that one cannot serve it either: the next
      }
      failed.add(next.origin);
    }
    throw new AsixError("NODE_UNAVAILABLE", `stream broke at byte ${offset} and no other content node could resume it`, { cause: failure });
  };
}
