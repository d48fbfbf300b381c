import fs from "node:fs";
import type { Request, RequestHandler, Response } from "express";
import { isCid } from "../../../sdk/cid";
import { AsixError } from "../../../sdk/errors";
import { verifyStreamAccess } from "../../../sdk/signatures";
import { sameEndpoint, type NodeContext } from "./context";
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
 * build multipart/byteranges bodies). Bytes come straight from the file with createReadStream.
 *
 * A node that lacks a blob answers 302 to a peer that holds it (rendezvous order), adding
 * `noredirect=1` so the peer answers itself and a request never loops.
 */
const IMMUTABLE = "public, max-age=31536000, immutable";

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

export function serveStream(ctx: NodeContext): RequestHandler {
  return async (req, res) => {
    const cid = String(req.params.cid);
    if (!isCid(cid)) throw new AsixError("INVALID_INPUT", "malformed CID");
    const access = verifyStreamAccess(req.query.signature, cid, await ctx.settings.discoverySigners());
    // Count the play where the bytes are served (a node without the blob redirects instead).
    if (ctx.store.get(cid)) reportPlay(ctx, req, String(req.query.signature), access.trackId);
    return serve(ctx, req, res, cid);
  };
}

async function serve(ctx: NodeContext, req: Request, res: Response, cid: string): Promise<void> {
  if (!isCid(cid)) throw new AsixError("INVALID_INPUT", "malformed CID");
  const blob = ctx.store.get(cid);
  if (blob) {
    if (await sendFile(req, res, blob.path, blob.size, blob.content_type, cid)) return;
    ctx.db.deleteBlob(cid); // the row outlived its file: forget it and look elsewhere
  }
  if (req.query.noredirect === undefined) {
    const holder = await ctx.findHolder(cid);
    if (holder) {
      const url = new URL(req.originalUrl, holder);
      url.searchParams.set("noredirect", "1");
      res.redirect(302, url.toString());
      return;
    }
  }
  throw new AsixError("NOT_FOUND", `blob ${cid} is not on this node${req.query.noredirect === undefined ? " nor its peers" : ""}`);
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

/** Answer from the file; false (nothing sent) when the file is gone. */
function sendFile(req: Request, res: Response, path: string, size: number, contentType: string, cid: string): Promise<boolean> {
  const range = parseRange(req.headers.range, size);
  const headers: Record<string, string> = {
    "content-type": contentType,
    etag: `"${cid}"`,
    "cache-control": IMMUTABLE,
    "accept-ranges": "bytes",
  };
  if (range === "unsatisfiable") {
    res.status(416).set({ "content-range": `bytes */${size}`, etag: headers.etag }).json({
      error: { code: "RANGE_NOT_SATISFIABLE", message: `Range ${JSON.stringify(req.headers.range)} is not one satisfiable byte range of a ${size}-byte blob` },
    });
    return Promise.resolve(true);
  }
  const inm = req.headers["if-none-match"];
  if (!range && inm && inm.split(",").some((t) => t.trim().replace(/^W\//, "") === headers.etag)) {
    res.writeHead(304, headers).end();
    return Promise.resolve(true);
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  headers["content-length"] = String(size === 0 ? 0 : end - start + 1);
  if (range) headers["content-range"] = `bytes ${start}-${end}/${size}`;
  const status = range ? 206 : 200;

  return new Promise((resolve) => {
    fs.open(path, "r", (err, fd) => {
      if (err) return resolve(false);
      res.writeHead(status, headers);
      if (req.method === "HEAD" || size === 0) {
        fs.close(fd, () => undefined);
        res.end();
        return resolve(true);
      }
      const stream = fs.createReadStream(path, { fd, start, end, highWaterMark: 256 * 1024 });
      stream.on("error", () => res.destroy());
      res.on("close", () => stream.destroy());
      stream.pipe(res);
      resolve(true);
    });
  });
}
