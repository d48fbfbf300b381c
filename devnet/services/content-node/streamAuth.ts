import type http from "node:http";
import type { RequestHandler, Response } from "express";
import { isCid } from "../../../sdk/cid";
import { AsixError } from "../../../sdk/errors";
import { STREAM_SIGNATURE_MAX_AGE_MS, verifyStreamSignature, type StreamAccess } from "../../../sdk/signatures";
import type { NodeContext } from "./context";

/**
 * Route middleware for `/tracks/cidstream/:cid`: verifies the `signature` query parameter once
 * (a registered discovery node's signature for this CID, not expired) and hands the result on in
 * `res.locals.streamAccess`, so serving and play reporting never parse or recover it again.
 */
export function requireStreamSignature(ctx: NodeContext): RequestHandler {
  return async (req, res, next) => {
    const cid = String(req.params.cid);
    if (!isCid(cid)) throw new AsixError("INVALID_INPUT", "malformed CID");
    // The fast path (streamRoute.ts) may have verified it already before handing the request on.
    const earlier = verifiedEarlier.get(req);
    if (earlier && "error" in earlier) throw earlier.error;
    res.locals.streamAccess = earlier?.access ?? (await verifyStreamParam(ctx, req.query.signature, cid));
    next();
  };
}

/** The node's one cache of verified stream signatures, shared by the express route and the fast path. */
const cacheOf = new WeakMap<NodeContext, StreamSignatureCache>();

/** Verify a stream signature query parameter for `cid` against the node's registered discovery nodes. */
export async function verifyStreamParam(ctx: NodeContext, param: unknown, cid: string): Promise<StreamAccess> {
  let cache = cacheOf.get(ctx);
  if (!cache) cacheOf.set(ctx, (cache = createStreamSignatureCache()));
  return cache.verify(param, cid, await ctx.settings.discoverySigners());
}

/** What the fast path's verification of a request came to, so express's route does not recover it again. */
const verifiedEarlier = new WeakMap<http.IncomingMessage, { access: StreamAccess } | { error: unknown }>();

/** Hand a request's verification on to `requireStreamSignature` (the fast path does, when it passes the request to express). */
export function handStreamAccessOn(req: http.IncomingMessage, outcome: { access: StreamAccess } | { error: unknown }): void {
  verifiedEarlier.set(req, outcome);
}

/** How many verified stream signatures are remembered. */
const CACHED_SIGNATURES = 10_000;

/**
 * `verifyStreamSignature` with its successes remembered until the signature expires. A player
 * sends the same signature with every Range request of a stream, and recovering the signer (an
 * ECDSA recovery plus two JSON parses) was the largest per-request cost of the read path. A hit
 * still checks the expiry against the clock and that the signer is still a registered discovery
 * node; failures are never cached, so a refused signature is refused the same way every time.
 */
export type StreamSignatureCache = ReturnType<typeof createStreamSignatureCache>;

export function createStreamSignatureCache(size = CACHED_SIGNATURES) {
  const cache = new Map<string, { access: StreamAccess; validUntil: number }>();
  return {
    verify(param: unknown, cid: string, allowedSigners: Iterable<string>, now = Date.now()): StreamAccess {
      const key = typeof param === "string" ? `${cid} ${param}` : undefined;
      const hit = key === undefined ? undefined : cache.get(key);
      if (hit && now <= hit.validUntil && [...allowedSigners].some((s) => s.toLowerCase() === hit.access.signer.toLowerCase())) return hit.access;
      if (hit) cache.delete(key!);
      const access = verifyStreamSignature(param, cid, allowedSigners, now);
      const { timestamp, expiresAt } = access.data;
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
      cache.set(key!, { access, validUntil: Math.min(timestamp + STREAM_SIGNATURE_MAX_AGE_MS, expiresAt ?? Infinity) });
      return access;
    },
    get size() {
      return cache.size;
    },
  };
}

/** The stream signature `requireStreamSignature` verified for this request. */
export function streamAccessOf(res: Response): StreamAccess {
  const access = res.locals.streamAccess as StreamAccess | undefined;
  if (!access) throw new AsixError("INTERNAL", "stream route without requireStreamSignature");
  return access;
}
