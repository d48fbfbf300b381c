import type http from "node:http";
import type { RequestHandler } from "express";
import { setTimeout as wait } from "node:timers/promises";
import { AsixError } from "../../sdk/errors";

/**
 * Faults a devnet node can be put into on demand, so apps (and our own SDK tests) can exercise
 * their failover paths against a real node:
 * - `pause`: the node freezes. Requests wait unanswered and responses in flight stop sending
 *   until the fault is cleared, as if the process were stopped with SIGSTOP.
 * - `slow`: every request waits `latencyMs` before it is handled, and blob bodies are sent at no
 *   more than `bytesPerSecond`.
 */
export type NodeFault = { kind: "pause" } | { kind: "slow"; latencyMs?: number; bytesPerSecond?: number };

/** One node's current fault, consulted by its first middleware and by its body writers. */
export interface FaultGate {
  /** the fault in force, or undefined */
  readonly current: NodeFault | undefined;
  /** Put the node into a fault, or clear it with undefined; held requests and writes go on at once. */
  set(fault: NodeFault | undefined): void;
  /** The app's first middleware: holds a request while paused, delays it while slow. */
  middleware: RequestHandler;
  /** Write one chunk of a response body under the fault: held while paused, sliced and paced while slow. */
  write(res: http.ServerResponse, chunk: Buffer): Promise<void>;
  /** true when body writes must go through `write` */
  readonly shapesBodies: boolean;
}

/** Pacing granularity of a slowed body: a tenth of a second's worth of bytes per write. */
const SLICES_PER_SECOND = 10;

export function validateFault(fault: NodeFault): NodeFault {
  if (fault.kind === "pause") return fault;
  if (fault.kind !== "slow") throw new AsixError("INVALID_INPUT", `unknown fault ${JSON.stringify((fault as { kind: unknown }).kind)}: pause or slow`);
  const { latencyMs, bytesPerSecond } = fault;
  if (latencyMs === undefined && bytesPerSecond === undefined) throw new AsixError("INVALID_INPUT", "a slow fault needs latencyMs, bytesPerSecond or both");
  if (latencyMs !== undefined && !(Number.isInteger(latencyMs) && latencyMs >= 0 && latencyMs <= 600_000)) {
    throw new AsixError("INVALID_INPUT", "latencyMs must be an integer from 0 to 600000");
  }
  if (bytesPerSecond !== undefined && !(Number.isInteger(bytesPerSecond) && bytesPerSecond >= SLICES_PER_SECOND)) {
    throw new AsixError("INVALID_INPUT", `bytesPerSecond must be an integer of at least ${SLICES_PER_SECOND}`);
  }
  return fault;
}

export function createFaultGate(): FaultGate {
  let current: NodeFault | undefined;
  // Everything held by a pause waits on this; clearing or changing the fault releases it.
  let released: { promise: Promise<void>; release: () => void } | undefined;
  const whilePaused = async () => {
    while (current?.kind === "pause") {
      released ??= (() => {
        let release!: () => void;
        const promise = new Promise<void>((resolve) => (release = resolve));
        return { promise, release };
      })();
      await released.promise;
    }
  };
  const gate: FaultGate = {
    get current() {
      return current;
    },
    get shapesBodies() {
      return current !== undefined && (current.kind === "pause" || current.bytesPerSecond !== undefined);
    },
    set(fault) {
      current = fault === undefined ? undefined : validateFault(fault);
      released?.release();
      released = undefined;
    },
    middleware: (req, _res, next) => {
      if (current === undefined) return next();
      void (async () => {
        await whilePaused();
        if (current?.kind === "slow" && current.latencyMs) await wait(current.latencyMs);
        next();
      })();
    },
    async write(res, chunk) {
      for (let at = 0; at < chunk.length && !res.destroyed; ) {
        await whilePaused();
        const rate = current?.kind === "slow" ? current.bytesPerSecond : undefined;
        const end = rate ? Math.min(chunk.length, at + Math.ceil(rate / SLICES_PER_SECOND)) : chunk.length;
        const slice = chunk.subarray(at, end);
        if (!res.write(slice)) await new Promise<void>((resolve) => (res.once("drain", resolve), res.once("close", resolve)));
        at = end;
        if (rate) await wait((slice.length / rate) * 1000);
      }
    },
  };
  return gate;
}
