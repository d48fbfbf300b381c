import type http from "node:http";
import type { Request, RequestHandler, Response } from "express";
import { isCid } from "../../../sdk/cid";
import { AsixError } from "../../../sdk/errors";
import { sameEndpoint, type NodeContext } from "./context";
import { BlobUnavailable, releaseReadBuffer, type OpenBlob } from "./integrity";
import { streamAccessOf } from "./streamAuth";
import { fetchPeerUpload } from "./peerClient";
import { VARIANT_NAMES } from "./images";
import { UPLOAD_ID } from "./uploads";
import { reportPlay } from "./plays";

/**
 * Serving blobs: `GET|HEAD /content/:cid` and `/ipfs/:cid`, image variants at
 * `/content/:uploadId/:variant`, and signed audio at `/tracks/cidstream/:cid`.
 *
 * Range: one `bytes=` range (`a-b`, `a-`, `-n`) answers 206. A multi-range request, a malformed
 * Range, or one starting past the end answers 416 with `Content-Range: bytes * /size` (we do not
 * build multipart/byteranges bodies). Bytes come through the blob reader (integrity.ts), checked
 * chunk by chunk against the blob's CID.
 *
 * A node that lacks a sound copy answers 302 to a peer that holds one (rendezvous order).
 */
export const IMMUTABLE = "public, max-age=31536000, immutable";

export function serveCid(ctx: NodeContext): RequestHandler {
  return (req, res) => serve(ctx, req, res, String(req.params.cid));
}

/**
 * An upload's record lives on the node that took it. Another node asked for one of its variants
 * reads the record from its peers (finished image uploads never change, so it is cached).
 */
const peerResultsOf = new WeakMap<NodeContext, Map<string, Record<string, string>>>();
async function peerUploadResults(ctx: NodeContext, id: string): Promise<Record<string, string> | undefined> {
  let peerResults = peerResultsOf.get(ctx);
  if (!peerResults) peerResultsOf.set(ctx, (peerResults = new Map()));
  const cached = peerResults.get(id);
  if (cached) return cached;
  for (const peer of await ctx.settings.peers()) {
    if (sameEndpoint(peer, ctx.self)) continue;
    const upload = await fetchPeerUpload(peer, id);
    if (upload?.status === "done" && upload.results && typeof upload.results === "object") {
      const results = upload.results as Record<string, string>;
      if (peerResults.size > 10_000) peerResults.clear();
      peerResults.set(id, results);
      return results;
    }
  }
  return undefined;
}

export function serveVariant(ctx: NodeContext): RequestHandler {
  return async (req, res) => {
    const id = String(req.params.uploadId);
    const variant = String(req.params.variant);
    if (!UPLOAD_ID.test(id)) throw new AsixError("INVALID_INPUT", "malformed upload id");
    if (!VARIANT_NAMES.has(variant)) throw new AsixError("INVALID_INPUT", `unknown variant; one of ${[...VARIANT_NAMES].join(", ")}`);
    const results = ctx.db.getUpload(id)?.results ?? (await peerUploadResults(ctx, id));
    if (!results) throw new AsixError("NOT_FOUND", `no upload ${id} on this node or its peers`);
    const cid = results[variant];
    if (!cid) throw new AsixError("NOT_FOUND", `upload ${id} has no variant ${variant}`);
    return serve(ctx, req, res, cid);
  };
}

/** `/tracks/cidstream/:cid`, behind `requireStreamSignature`: counts a play when bytes are served from 0. */
export function serveStream(ctx: NodeContext): RequestHandler {
  return (req, res) => {
    const access = streamAccessOf(res);
    return serve(ctx, req, res, String(req.params.cid), (fromZero) => {
      if (fromZero && req.method === "GET") reportPlay(ctx, access);
    });
  };
}

/** Origins a redirect chain has visited (`skip=`), so it never comes back to one of them. */
function visited(req: Request, peersCount: number): string[] {
  const raw = typeof req.query.skip === "string" ? req.query.skip : "";
  return raw.split(",").filter(Boolean).slice(0, Math.max(1, peersCount)).map((o) => o.slice(0, 200));
}

/**
 * Answer blob `cid` from this node's verified copy, or 302 to a peer holding a sound one. Each
 * redirect adds this node to `skip`, so a chain of nodes that all lack it ends in 404, never a
 * loop; `noredirect` (from older callers) forbids any further hop.
 */
async function serve(ctx: NodeContext, req: Request, res: Response, cid: string, onBytes?: (fromZero: boolean) => void): Promise<void> {
  if (!isCid(cid)) throw new AsixError("INVALID_INPUT", "malformed CID");
  const outcome = await answerFromCopy(ctx, req, res, cid, onBytes);
  if (outcome === "answered") return;
  if (typeof outcome === "object") {
    res.status(416).set({ "content-range": `bytes */${outcome.size}`, etag: `"${cid}"` }).json({
      error: { code: "RANGE_NOT_SATISFIABLE", message: `Range ${JSON.stringify(req.headers.range)} is not one satisfiable byte range of a ${outcome.size}-byte blob` },
    });
    return;
  }
  if (await redirectToHolder(ctx, req, res, cid)) return;
  throw new AsixError("NOT_FOUND", `blob ${cid} is not on this node${req.query.noredirect === undefined ? " nor its peers" : ""}`);
}

/**
 * What answering from this node's own copy came to: "answered" (a 304, or the bytes), "absent" (no
 * sound copy here: nothing was sent), or an unsatisfiable Range against a blob of `size` bytes
 * (nothing was sent). Plain node request and response, so the stream route's fast path
 * (streamRoute.ts) and the express routes answer alike.
 */
export type CopyOutcome = "answered" | "absent" | { unsatisfiable: true; size: number };

export async function answerFromCopy(ctx: NodeContext, req: http.IncomingMessage, res: http.ServerResponse, cid: string, onBytes?: (fromZero: boolean) => void): Promise<CopyOutcome> {
  // The ETag is the CID, so a client holding those bytes needs nothing more: no file is opened.
  if (!req.headers.range && matchesEtag(req.headers["if-none-match"], cid) && ctx.store.get(cid)) {
    res.writeHead(304, { etag: `"${cid}"`, "cache-control": IMMUTABLE }).end();
    return "answered";
  }
  const blob = await ctx.reader.open(cid).catch((err) => {
    if (err instanceof BlobUnavailable) return undefined; // damaged copies are quarantined already: look elsewhere
    throw err;
  });
  if (!blob) return "absent";
  try {
    return await sendBlob(ctx, req, res, blob, onBytes);
  } finally {
    await ctx.reader.close(blob);
  }
}

/** 302 to a peer holding a sound copy of blob `cid` (the same URL, plus `skip`); false if none or `noredirect`. */
export async function redirectToHolder(ctx: NodeContext, req: Request, res: Response, cid: string): Promise<boolean> {
  if (req.query.noredirect !== undefined) return false;
  const skip = visited(req, (await ctx.settings.peers()).length);
  const holder = await ctx.findHolder(cid, [...skip, ctx.self]);
  if (!holder) return false;
  const url = new URL(req.originalUrl, holder);
  url.searchParams.set("skip", [...skip, new URL(ctx.self).origin].join(","));
  res.redirect(302, url.toString());
  return true;
}

/** Whether an If-None-Match header names the ETag `"<tag>"` (weak or strong). */
export function matchesEtag(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  const etag = `"${tag}"`;
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

type Range = { start: number; end: number } | "unsatisfiable" | undefined;

/** Parse one `bytes=` range against `size`; undefined when there is no Range header. */
export function parseRange(header: string | undefined, size: number): Range {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return "unsatisfiable";
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== "" && Number(m[2]) < start) return "unsatisfiable";
  }
  if (!Number.isSafeInteger(start) || start >= size) return "unsatisfiable";
  return { start, end };
}

/**
 * Largest range sent from the chunk cache in one write (headers included). A player's range is
 * about 1 MiB; one writev instead of one write per 256 KiB chunk, each waiting for the socket's
 * drain, spares the main thread a trip through the event loop per chunk (issue 15). Larger
 * answers go chunk by chunk with backpressure, so a whole-file read holds no more than this.
 */
const ONE_WRITE_BYTES = 4 * 1024 * 1024;

export const drained = (res: http.ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });

/**
 * Answer from an open blob. "absent" (nothing sent) when its first chunk fails its check, so the
 * caller redirects; a later chunk that fails aborts the response (its bytes are never sent).
 *
 * When the first read is of chunks already checked under the open file's stamp (or checks are
 * off), nothing can turn the answer into a redirect any more: the headers go out before that read,
 * so the client's time to first byte is not the disk's. A read that still fails then cuts the
 * response, as for any later chunk.
 */
async function sendBlob(ctx: NodeContext, req: http.IncomingMessage, res: http.ServerResponse, blob: OpenBlob, onBytes?: (fromZero: boolean) => void): Promise<CopyOutcome> {
  const { size, cid } = blob;
  const range = parseRange(req.headers.range, size);
  if (range === "unsatisfiable") return { unsatisfiable: true, size };
  const headers: Record<string, string> = {
    "content-type": blob.contentType,
    etag: `"${cid}"`,
    "cache-control": IMMUTABLE,
    "accept-ranges": "bytes",
  };
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  headers["content-length"] = String(size === 0 ? 0 : end - start + 1);
  if (range) headers["content-range"] = `bytes ${start}-${end}/${size}`;
  const status = range ? 206 : 200;
  if (req.method === "HEAD" || size === 0) {
    res.writeHead(status, headers).end();
    return "answered";
  }
  const answer = () => {
    res.writeHead(status, headers);
    onBytes?.(start === 0);
  };
  // Every chunk of the range in memory (checked): headers and bytes go to the socket as one write.
  const cached = ctx.faults.shapesBodies ? undefined : ctx.reader.cachedRange(blob, start, end, ONE_WRITE_BYTES);
  if (cached) {
    answer();
    res.cork();
    for (const piece of cached) res.write(piece);
    res.end(); // uncorks: one writev of the headers and every piece
    return "answered";
  }
  const early = ctx.reader.isChecked(blob, start);
  if (early) {
    answer();
    res.flushHeaders();
  }
  const pieces = ctx.reader.read(blob, start, end);
  try {
    let piece: IteratorResult<Buffer>;
    try {
      piece = await pieces.next();
    } catch (err) {
      if (early) {
        res.destroy();
        return "answered";
      }
      if (err instanceof BlobUnavailable) return "absent";
      throw err;
    }
    if (!early) answer();
    try {
      while (!piece.done && !res.destroyed) {
        const sent = piece.value;
        if (ctx.faults.shapesBodies) await ctx.faults.write(res, sent);
        else if (!res.write(sent, () => releaseReadBuffer(sent))) await drained(res);
        piece = await pieces.next();
      }
      res.end();
    } catch {
      res.destroy(); // headers are out: cutting the body short is the only honest answer
    }
    return "answered";
  } finally {
    await pieces.return(undefined);
  }
}
