import fs from "node:fs";
import type { RequestHandler } from "express";
import { PROTOCOL_VERSION, signHealth, type ContentNodeHealthData } from "../../../sdk/protocol/health";
import type { NodeContext } from "./context";

/** `GET /health_check` (PROTOCOL.md §5, §8): the SDK's signed health envelope around `healthData`. */
export function healthCheck(ctx: NodeContext): RequestHandler {
  return async (_req, res) => {
    res.json(await signHealth(ctx.settings.wallet, await healthData(ctx)));
  };
}

export async function healthData(ctx: NodeContext): Promise<ContentNodeHealthData> {
  const stats = await fs.promises.statfs(ctx.settings.dir);
  const storagePathSize = stats.blocks * stats.bsize;
  const storagePathUsed = (stats.blocks - stats.bfree) * stats.bsize;
  // Room for at least one more upload of the largest allowed size.
  const diskHasSpace = stats.bavail * stats.bsize > Math.max(ctx.settings.maxAudioBytes, ctx.settings.maxImageBytes);
  return {
    healthy: diskHasSpace,
    service: "content-node",
    version: PROTOCOL_VERSION,
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
