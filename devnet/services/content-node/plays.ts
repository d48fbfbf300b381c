import type { Request } from "express";
import { encodeHashId } from "../../../sdk/hashids";
import { recoverDataSigner } from "../../../sdk/signatures";
import type { NodeContext } from "./context";

/**
 * Play counting: when this node starts serving a signed stream from byte 0, it tells the discovery
 * node that signed the stream, which counts the play after checking the same signature. Fire and
 * forget: a lost report costs one play, never the stream.
 */
export function reportPlay(ctx: NodeContext, req: Request, signatureParam: string, trackId: number | undefined): void {
  if (trackId === undefined || req.method !== "GET" || !startsAtZero(req.headers.range)) return;
  void (async () => {
    const envelope = JSON.parse(signatureParam) as { data: string; signature: string };
    const signer = recoverDataSigner(JSON.parse(envelope.data), envelope.signature)?.toLowerCase();
    const node = (await ctx.settings.discoveryNodes()).find((n) => n.delegateOwnerWallet.toLowerCase() === signer);
    if (!node) return;
    const res = await fetch(`${node.endpoint.replace(/\/+$/, "")}/v1/tracks/${encodeHashId(trackId)}/plays`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ signature: signatureParam }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) ctx.settings.log("play report refused", { trackId, status: res.status });
  })().catch((e) => ctx.settings.log("play report failed", { trackId, error: String(e) }));
}

function startsAtZero(range: string | undefined): boolean {
  if (!range) return true;
  return /^bytes=0-\d*$/.test(range.trim());
}
