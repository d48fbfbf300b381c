import express, { Router } from "express";
import { AsixError } from "../../sdk/errors";
import type { DevnetClock } from "../clock";
import { errorHandler, type Logger } from "../services/http";
import type { DevnetSnapshots } from "../snapshot";
import { checkSnapshotName } from "../snapshot/files";

/**
 * The control channel's snapshot routes (mounted by the supervisor's control server):
 *   GET  /snapshots               → { data: SnapshotInfo[] }
 *   POST /snapshots/:name/save    → { data: SnapshotInfo }
 *   POST /snapshots/:name/restore [{ acrossNetworks }] → { data: SnapshotInfo } (404 NOT_FOUND for an unknown name)
 * Errors are `{ error: { code, message } }` with the code's status.
 */
export function snapshotRoutes(devnet: { snapshots: DevnetSnapshots }, log?: Logger): Router {
  const r = Router();
  r.get("/snapshots", (_req, res) => {
    res.json({ data: devnet.snapshots.list() });
  });
  r.post("/snapshots/:name/save", async (req, res) => {
    res.json({ data: await devnet.snapshots.save(checkSnapshotName(req.params.name)) });
  });
  r.post("/snapshots/:name/restore", express.json({ limit: "1kb" }), async (req, res) => {
    const acrossNetworks = (req.body as { acrossNetworks?: unknown } | undefined)?.acrossNetworks;
    if (acrossNetworks !== undefined && typeof acrossNetworks !== "boolean") throw new AsixError("INVALID_INPUT", "acrossNetworks must be true or false");
    res.json({ data: await devnet.snapshots.restore(checkSnapshotName(req.params.name), { acrossNetworks }) });
  });
  r.use(errorHandler(log));
  return r;
}

/**
 * The control channel's clock route:
 *   POST /time/advance { seconds } → { data: ClockAdvance }
 */
export function timeRoutes(devnet: { time: DevnetClock }, log?: Logger): Router {
  const r = Router();
  r.post("/time/advance", express.json({ limit: "1kb" }), async (req, res) => {
    const seconds = (req.body as { seconds?: unknown } | undefined)?.seconds;
    if (typeof seconds !== "number" || !Number.isSafeInteger(seconds) || seconds <= 0) {
      throw new AsixError("INVALID_INPUT", "body must be { seconds }: a positive whole number of seconds");
    }
    res.json({ data: await devnet.time.advance(seconds) });
  });
  r.use(errorHandler(log));
  return r;
}
