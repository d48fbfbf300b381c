import type { RequestHandler } from "express";
import { AsixError } from "../../../sdk/errors";
import type { NodeContext, UploadLimits } from "./context";

export type { UploadLimits };

/**
 * Abuse limits on `POST /uploads`, which needs no signature (PROTOCOL.md §8): per client IP, a number
 * of uploads per minute and of uploads in flight at once, answered 429 before the body is read.
 * Size caps live in ingest (413) and the duration cap after the probe (413).
 * Counted in memory: a window of a minute needs no durability, and express-rate-limit is not a
 * dependency we may add; this is one small map of per-address windows.
 */

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { perIpPerMinute: 100, perIpConcurrent: 8, maxAudioSeconds: 3 * 3600 };

/** The defaults with whatever `given` sets (an undefined field keeps its default). */
export function resolveUploadLimits(given: Partial<UploadLimits> = {}): UploadLimits {
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_UPLOAD_LIMITS, ...set };
}

const WINDOW_MS = 60_000;

export function limitUploads(ctx: NodeContext): RequestHandler {
  // Each address's window starts at its first upload, so a burst is never split by a window edge.
  const windows = new Map<string, { start: number; count: number }>();
  const inFlight = new Map<string, number>();

  return (req, res, next) => {
    const { perIpPerMinute, perIpConcurrent } = ctx.settings.uploadLimits;
    const ip = req.socket.remoteAddress ?? "unknown";
    const now = Date.now();
    if (windows.size > 10_000) for (const [key, w] of windows) if (now - w.start >= WINDOW_MS) windows.delete(key);
    let window = windows.get(ip);
    if (!window || now - window.start >= WINDOW_MS) windows.set(ip, (window = { start: now, count: 0 }));
    if (window.count >= perIpPerMinute) {
      const retryAfterSeconds = Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
      throw new AsixError("RATE_LIMITED", `at most ${perIpPerMinute} uploads per minute from one address; retry in ${retryAfterSeconds} s`, {
        details: { retryAfterSeconds },
      });
    }
    const active = inFlight.get(ip) ?? 0;
    if (active >= perIpConcurrent) {
      throw new AsixError("RATE_LIMITED", `at most ${perIpConcurrent} uploads at once from one address; wait for one to finish`);
    }
    window.count++;
    inFlight.set(ip, active + 1);
    // 'close' fires once whether the answer was sent or the client went away.
    res.once("close", () => {
      const left = (inFlight.get(ip) ?? 1) - 1;
      if (left <= 0) inFlight.delete(ip);
      else inFlight.set(ip, left);
    });
    next();
  };
}

/** The duration cap, checked once the audio is probed. */
export function checkAudioDuration(ctx: NodeContext, seconds: number): void {
  const max = ctx.settings.uploadLimits.maxAudioSeconds;
  if (seconds > max) throw new AsixError("PAYLOAD_TOO_LARGE", `the audio is ${Math.round(seconds)} s long; the limit is ${max} s`);
}
