import { AsixError } from "../errors";
import { CONTENT_NODE_HEALTH_TIMEOUT_MS } from "../protocol/health";

/** How the SDK chooses discovery and content nodes. `false` turns selection off: the first configured node, no health checks. */
export interface SelectionOptions {
  /** How long a node's /health_check may take before it is passed over. Default 3000 ms (PROTOCOL.md §8). */
  healthTimeoutMs?: number;
  /** A discovery node more blocks behind than this (behind the chain, or behind the best node) is rejected. Default 20. */
  maxBlocksBehind?: number;
  /** Once one node answered usable, how long to wait for the others before choosing among those in. Default 150 ms. */
  raceWindowMs?: number;
  /** A chosen discovery node is checked again (and replaced if it fell behind) after this long. Default 30 s. */
  recheckMs?: number;
  /** A node that failed is not chosen again for this long, unless no other is usable. Default 10 s. */
  failedCooldownMs?: number;
  /** A content node's health answer is reused for this long. Default 5 s. */
  contentHealthTtlMs?: number;
}

/** Retries of idempotent reads (GETs); writes are never retried. `false` turns retries off. */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  attempts?: number;
  /** Backoff before the first retry; it doubles each time, with full jitter. Default 25 ms. */
  minDelayMs?: number;
  /** Longest backoff. Default 1000 ms. */
  maxDelayMs?: number;
}

export type ResolvedSelectionOptions = Required<SelectionOptions> & { enabled: boolean };
export type ResolvedRetryOptions = Required<RetryOptions> & { enabled: boolean };

const SELECTION_DEFAULTS: Required<SelectionOptions> = {
  healthTimeoutMs: CONTENT_NODE_HEALTH_TIMEOUT_MS,
  maxBlocksBehind: 20,
  raceWindowMs: 150,
  recheckMs: 30_000,
  failedCooldownMs: 10_000,
  contentHealthTtlMs: 5000,
};

const RETRY_DEFAULTS: Required<RetryOptions> = { attempts: 3, minDelayMs: 25, maxDelayMs: 1000 };

export function resolveSelectionOptions(options: SelectionOptions | false | undefined): ResolvedSelectionOptions {
  if (options === false) return { ...SELECTION_DEFAULTS, enabled: false };
  return { ...SELECTION_DEFAULTS, ...checkedNumbers("selection", options ?? {}), enabled: true };
}

export function resolveRetryOptions(options: RetryOptions | false | undefined): ResolvedRetryOptions {
  if (options === false) return { ...RETRY_DEFAULTS, attempts: 1, enabled: false };
  const resolved = { ...RETRY_DEFAULTS, ...checkedNumbers("retry", options ?? {}), enabled: true };
  if (!Number.isInteger(resolved.attempts) || resolved.attempts < 1) throw new AsixError("INVALID_INPUT", "retry.attempts must be an integer of at least 1");
  return resolved;
}

function checkedNumbers<T extends object>(what: string, options: T): Partial<T> {
  if (typeof options !== "object" || options === null) throw new AsixError("INVALID_INPUT", `${what} must be an object or false`);
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new AsixError("INVALID_INPUT", `${what}.${key} must be a non-negative number`);
    }
    out[key] = value;
  }
  return out as Partial<T>;
}
