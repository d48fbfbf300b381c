import { AsixError } from "../errors";
import { request, requestJson, type CallOptions } from "../http";
import type { AsixClient } from "../client";
import { hashIdOf } from "../reads";
import { withDiscoveryNode } from "../selection";
import { emitTo } from "../selection/events";
import { now } from "../selection/probe";
import { resumableBody } from "../selection/resume";
import { orderContentNodes } from "../content/nodes";

/** A byte range of a track's audio (HTTP Range). */
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

/** A track's audio as a web ReadableStream, with the response's status and headers. */
export interface StreamTrackResult {
  /** the audio bytes, as a web stream (Node 20 and browsers; `for await` reads it in Node). In Node, saveStream (@asix/sdk/node) writes it to a file. */
  stream: ReadableStream<Uint8Array>;
  /** 200 for the whole file, 206 for a range */
  status: number;
  /** the response's Content-Type (audio/mpeg when the node sends none) */
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
  const path = `/v1/tracks/${hashIdOf(trackId, "track id")}/stream`;
  const body = await withDiscoveryNode(
    client.selection,
    (node, budget) =>
      requestJson<{ data?: unknown }>(
        client,
        { url: `${node}${path}`, query: { no_redirect: true }, signal: options.signal, timeoutMs: budget.timeoutMs ?? options.timeoutMs },
        "stream url",
      ),
    { idempotent: true, signal: options.signal, timeoutMs: options.timeoutMs },
  );
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
  const started = now();
  const url = await getStreamUrl(client, trackId, params);
  // No timeout unless asked: a long track streams for as long as the listener reads. The signal
  // also cuts the body short.
  const res = await request(client, { url, headers: { accept: "*/*", ...headers }, signal: params.signal, timeoutMs: params.timeoutMs ?? 0 }, "stream");
  if (!res.body) throw new AsixError("NODE_UNAVAILABLE", `stream: ${url} answered without a body`);
  const start = res.status === 206 ? (params.range?.start ?? 0) : 0;
  const length = Number(res.headers.get("content-length") ?? Number.NaN);
  // A break mid-way resumes on another node at the byte reached, so the reader gets the whole file.
  const body = resumableBody({
    first: res.body,
    start,
    end: Number.isSafeInteger(length) && length >= 0 ? start + length : undefined,
    reopen: resumeElsewhere(client, res.url || url, params, started),
    signal: params.signal,
  });
  return {
    stream: body,
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
function resumeElsewhere(client: AsixClient, servedUrl: string, params: StreamTrackParameters, started: number) {
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
        const range = `bytes=${offset}-${params.range?.end ?? ""}`;
        const res = await request(client, { url: next.href, headers: { accept: "*/*", range }, signal: params.signal, timeoutMs: params.timeoutMs ?? 0 }, "stream resume");
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
