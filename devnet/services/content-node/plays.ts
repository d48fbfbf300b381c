import { encodeHashId } from "../../../sdk/hashids";
import type { StreamAccess } from "../../../sdk/signatures";
import type { NodeContext } from "./context";

/**
 * Play counting: when this node starts serving a signed stream from byte 0, it tells the discovery
 * node that signed the stream (known from `requireStreamSignature`), which counts the play at most
 * once per signature nonce and within its per-listener and per-IP limits. Fire and forget: a lost
 * report costs one play, never the stream.
 */
export function reportPlay(ctx: NodeContext, access: StreamAccess): void {
  const { trackId } = access.data;
  if (trackId === undefined || access.data.nonce === undefined) return;
  void (async () => {
    const signer = access.signer.toLowerCase();
    const node = (await ctx.settings.discoveryNodes()).find((n) => n.delegateOwnerWallet.toLowerCase() === signer);
    if (!node) return;
    const res = await fetch(`${node.endpoint.replace(/\/+$/, "")}/v1/tracks/${encodeHashId(trackId)}/plays`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ signature: access.param }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) ctx.settings.log("play not counted", { trackId, status: res.status });
  })().catch((e) => ctx.settings.log("play report failed", { trackId, error: String(e) }));
}
