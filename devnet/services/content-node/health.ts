import fs from "node:fs";
import type { RequestHandler } from "express";
import { signData } from "../../../sdk/signatures";
import type { NodeContext } from "./context";

export const CONTENT_NODE_VERSION = "0.1.0";

/**
 * `GET /health_check` (PROTOCOL.md §5): `{data, signer, signature, timestamp}` where `signature` is
 * `signData(delegateWallet, {data, timestamp})` (EIP-191 over canonical JSON; verify with
 * `recoverDataSigner({data, timestamp}, signature)`), `timestamp` an ISO string.
 */
export function healthCheck(ctx: NodeContext): RequestHandler {
  return async (_req, res) => {
    const data = await healthData(ctx);
    const timestamp = new Date().toISOString();
    const signature = await signData(ctx.settings.wallet, { data, timestamp });
    res.json({ data, signer: ctx.settings.wallet.address, signature, timestamp });
  };
}

export async function healthData(ctx: NodeContext) {
  const stats = await fs.promises.statfs(ctx.settings.dir);
  const storagePathSize = stats.blocks * stats.bsize;
  const storagePathUsed = (stats.blocks - stats.bfree) * stats.bsize;
  // Room for at least one more upload of the largest allowed size.
  const diskHasSpace = stats.bavail * stats.bsize > Math.max(ctx.settings.maxAudioBytes, ctx.settings.maxImageBytes);
  return {
    healthy: diskHasSpace,
    service: "content-node",
    version: CONTENT_NODE_VERSION,
    self: ctx.self,
    spID: ctx.settings.spId,
    replicationFactor: ctx.settings.replicationFactor,
    diskHasSpace,
    storagePathUsed,
    storagePathSize,
    uploadsCount: ctx.db.uploadsCount(),
    peerHealths: ctx.peerHealths,
  };
}
