import type { RequestHandler, Response } from "express";
import { isCid } from "../../../sdk/cid";
import { AsixError } from "../../../sdk/errors";
import { verifyStreamSignature, type StreamAccess } from "../../../sdk/signatures";
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
    res.locals.streamAccess = verifyStreamSignature(req.query.signature, cid, await ctx.settings.discoverySigners());
    next();
  };
}

/** The stream signature `requireStreamSignature` verified for this request. */
export function streamAccessOf(res: Response): StreamAccess {
  const access = res.locals.streamAccess as StreamAccess | undefined;
  if (!access) throw new AsixError("INTERNAL", "stream route without requireStreamSignature");
  return access;
}
