import { getAddress, isAddress } from "ethers";
import type { RequestHandler, Response } from "express";
import { AsixError } from "../../../sdk/errors";
import { hasSignedRequestHeaders, verifyRequestHeaders } from "../../../sdk/signatures";
import type { NodeContext } from "./context";

/**
 * Who is calling the upload routes, checked once in route middleware and handed on in `res.locals`.
 * As on the reference node, an upload needs no signature; when it carries signed headers they must
 * hold, and each signed header set is spent on first use (a replay is refused, also after a restart).
 */

/** The optional header a reference client names its uploader with (unproven). */
export const USER_WALLET_HEADER = "x-user-wallet-addr";

export interface UploadCaller {
  /** the wallet that signed this request, when it was signed */
  signer?: string;
  /** the wallet the upload is attributed to: the signer, else X-User-Wallet-Addr, else "" */
  wallet: string;
}

/** Verify signed headers if present and spend them; throws UNAUTHORIZED for a bad or reused signature. */
function verifyOnce(ctx: NodeContext, headers: Record<string, string | string[] | undefined>): string {
  const signed = verifyRequestHeaders(headers);
  if (!ctx.db.spendRequestSignature(signed.replayKey, signed.expiresAt)) {
    throw new AsixError("UNAUTHORIZED", "this request signature was already used; sign each request anew");
  }
  return signed.signer;
}

/** For `POST /uploads`: signature optional; sets `res.locals.uploadCaller`. */
export function identifyUploader(ctx: NodeContext): RequestHandler {
  return (req, res, next) => {
    if (hasSignedRequestHeaders(req.headers)) {
      const signer = verifyOnce(ctx, req.headers);
      res.locals.uploadCaller = { signer, wallet: signer } satisfies UploadCaller;
      return next();
    }
    const named = req.headers[USER_WALLET_HEADER];
    const value = (Array.isArray(named) ? named[0] : named)?.trim() ?? "";
    // Absent or empty names nobody; anything else must be an address.
    if (value !== "" && !isAddress(value)) throw new AsixError("INVALID_INPUT", `${USER_WALLET_HEADER} must be a 0x wallet address`);
    const wallet = value === "" ? "" : getAddress(value);
    res.locals.uploadCaller = { wallet } satisfies UploadCaller;
    next();
  };
}

/** For changes to an upload: a signature is required; sets `res.locals.uploadCaller` with its signer. */
export function requireSignedCaller(ctx: NodeContext): RequestHandler {
  return (req, res, next) => {
    const signer = verifyOnce(ctx, req.headers);
    res.locals.uploadCaller = { signer, wallet: signer } satisfies UploadCaller;
    next();
  };
}

export function uploadCallerOf(res: Response): UploadCaller {
  const caller = res.locals.uploadCaller as UploadCaller | undefined;
  if (!caller) throw new AsixError("INTERNAL", "upload route mounted without its caller middleware");
  return caller;
}
