import { Router } from "express";
import { AsixError } from "../../sdk/errors";
import type { RunningNodeHandle } from "../options";
import { validateFault } from "../services/faults";
import { devnetStatus } from "./status";
import type { DevnetState } from "../state";

/**
 *   GET  /status                       every node's health, both chains' heights, index lag, blobs, stake
 *   POST /nodes/:name/stop|start       stop a node (its data stays) or start it again on its port
 *   POST /nodes/:name/pause|resume     freeze a node, or clear its fault
 *   POST /nodes/:name/slow             {latencyMs?, bytesPerSecond?}
 * Node names: content-1…, discovery-1….
 */
export function nodeRoutes(state: DevnetState, handles: RunningNodeHandle[]): Router {
  const r = Router();
  const byName = (name: string) => {
    const handle = handles.find((h) => h.name === name);
    if (!handle) throw new AsixError("NOT_FOUND", `no node named ${JSON.stringify(name)} (one of ${handles.map((h) => h.name).join(", ")})`);
    return handle;
  };
  r.get("/status", async (_req, res) => {
    res.json(await devnetStatus(state, handles));
  });
  // One node action at a time: a stop racing a start of the same node would leave either state.
  let queue: Promise<unknown> = Promise.resolve();
  r.post("/nodes/:name/:action", async (req, res) => {
    const handle = byName(req.params.name);
    const action = req.params.action;
    const turn = queue.then(() => act(handle, action, req.body));
    queue = turn.catch(() => undefined);
    await turn;
    res.json({ node: handle.name, url: handle.url, action, running: handle.running() });
  });
  return r;
}

async function act(handle: RunningNodeHandle, action: string, body: unknown): Promise<void> {
  if (action === "stop") {
    if (handle.running()) await handle.stop();
    return;
  }
  if (action === "start") {
    if (!handle.running()) await handle.restart();
    return;
  }
  if (!["pause", "resume", "slow"].includes(action)) throw new AsixError("NOT_FOUND", `unknown node action ${JSON.stringify(action)}: stop, start, pause, slow or resume`);
  if (!handle.running()) throw new AsixError("CONFLICT", `${handle.name} is stopped: start it first`);
  if (action === "pause") handle.pause();
  else if (action === "resume") handle.resume();
  else {
    const params = (body ?? {}) as { latencyMs?: number; bytesPerSecond?: number };
    const fault = validateFault({ kind: "slow", latencyMs: params.latencyMs, bytesPerSecond: params.bytesPerSecond });
    handle.slow(fault as { latencyMs?: number; bytesPerSecond?: number });
  }
}
