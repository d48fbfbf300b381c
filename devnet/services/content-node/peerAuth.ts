import type { RequestHandler, Response } from "express";
import { AsixError } from "../../../sdk/errors";
import { PEER_HEADER_SIGNATURE, PEER_SIGNATURE_MAX_AGE_MS, PeerSessionCache, verifyPeerRequest } from "../../../sdk/signatures";
import type { NodeContext } from "./context";

/**
 * Route middleware for the peer-only `/internal` routes: the request must be signed, for this very
 * request and this node, by the delegate wallet of a content node registered on the eth chain
 * (`settings.peerSigners`), within 5 minutes, with a nonce this node has not seen. The signer is
 * handed on in `res.locals.peer`. Anything else is 401 before a byte of the body is read.
 * A request may be signed by a peer's session key instead, certified by its delegate wallet: the
 * certificate is verified once and remembered, each request's own signature is checked every time.
 */
export function requirePeer(ctx: NodeContext): RequestHandler {
  const sessions = sessionsOf(ctx);
  return async (req, res, next) => {
    try {
      const { signer, data } = verifyPeerRequest(req.headers[PEER_HEADER_SIGNATURE], req.method, req.path, ctx.self, Date.now(), sessions);
      const registered = new Set((await ctx.settings.peerSigners()).map((a) => a.toLowerCase()));
      if (!registered.has(signer.toLowerCase())) throw new AsixError("UNAUTHORIZED", "peer signature is not from a registered content node");
      if (!ctx.db.useNonce(`${signer.toLowerCase()}:${data.nonce}`, data.timestamp + PEER_SIGNATURE_MAX_AGE_MS)) {
        throw new AsixError("UNAUTHORIZED", "peer signature was already used (replay)");
      }
      res.locals.peer = signer;
    } catch (err) {
      req.resume(); // refused before reading the body: drain it so the peer gets the answer
      throw err;
    }
    next();
  };
}

/** One cache of verified peer sessions per node, shared by its /internal routes. */
const sessionCaches = new WeakMap<NodeContext, PeerSessionCache>();
function sessionsOf(ctx: NodeContext): PeerSessionCache {
  let cache = sessionCaches.get(ctx);
  if (!cache) sessionCaches.set(ctx, (cache = new PeerSessionCache()));
  return cache;
}

/** The registered content node whose signature `requirePeer` verified. */
export function peerOf(res: Response): string {
  const peer = res.locals.peer as string | undefined;
  if (!peer) throw new AsixError("INTERNAL", "peer route without requirePeer");
  return peer;
}
