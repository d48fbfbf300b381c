import type * as ExponentialBackoff from "exponential-backoff";
import { isAsixError } from "../errors";
import type { ResolvedRetryOptions } from "./options";
import { now } from "./probe";

/**
 * Whether an error says the node, not the request, is at fault, so another node or a later try may
 * succeed: nobody answered, it timed out, or it answered 5xx. A caller's own abort is not one.
 */
export function isNodeFailure(e: unknown): boolean {
  if (!isAsixError(e)) return false;
  if (e.code === "NODE_UNAVAILABLE" || e.code === "TIMEOUT") return true;
  const status = e.details.status;
  return typeof status === "number" && status >= 500;
}

/**
 * Whether a request certainly never reached a server: the connection was refused or the host did
 * not resolve. Only then may a write go to another node without risking a second send.
 */
export function wasNeverSent(e: unknown): boolean {
  for (let c = e as { code?: unknown; cause?: unknown } | undefined, depth = 0; c && depth < 5; c = c.cause as typeof c, depth++) {
    if (c.code === "ECONNREFUSED" || c.code === "ENOTFOUND") return true;
  }
  return false;
}

/**
 * Whether a signed write may go to another node after this failure: it certainly never arrived
 * (above), or the connection dropped before any answer (a pooled keep-alive socket the stopped node
 * closed, a reset). The resend carries the same signed action with the same nonce, so if the first
 * send did land, the relay refuses the second as a replay (CONFLICT) and nothing happens twice.
 * A timeout or any HTTP answer is never resent: the node may still be working on it.
 */
export function maySendSignedAgain(e: unknown): boolean {
  if (wasNeverSent(e)) return true;
  for (let c = e as { code?: unknown; cause?: unknown } | undefined, depth = 0; c && depth < 5; c = c.cause as typeof c, depth++) {
    if (c.code === "UND_ERR_SOCKET" || c.code === "ECONNRESET" || c.code === "EPIPE") return true;
  }
  return false;
}

/**
 * Run an idempotent `attempt` up to `options.attempts` times while it fails with a node failure,
 * waiting an exponential backoff with full jitter between tries (exponential-backoff: small,
 * dependency-free and browser-safe). `onRetry` hears each retry before its backoff.
 */
let backoff: typeof ExponentialBackoff | undefined;

export async function withRetry<T>(
  options: ResolvedRetryOptions,
  attempt: () => Promise<T>,
  onRetry: (error: unknown, nextAttempt: number) => void,
  signal?: AbortSignal,
  /** `now()` after which no retry starts */
  deadline?: number,
): Promise<T> {
  if (!options.enabled || options.attempts <= 1) return attempt();
  // Loaded on the first call rather than with the SDK's entry (its nine modules cost an app's start).
  backoff ??= await import("exponential-backoff");
  return backoff.backOff(attempt, {
    numOfAttempts: options.attempts,
    startingDelay: options.minDelayMs,
    maxDelay: options.maxDelayMs,
    timeMultiple: 2,
    jitter: "full",
    delayFirstAttempt: false,
    retry: (error: unknown, attemptsMade: number) => {
      if (signal?.aborted || !isNodeFailure(error) || (deadline !== undefined && now() >= deadline)) return false;
      // exponential-backoff counts the attempts made so far; ours are numbered from 1.
      onRetry(error, attemptsMade + 1);
      return true;
    },
  });
}
