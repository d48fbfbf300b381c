/**
 * New-block notifications for the indexers. An in-process chain (the devnet's) announces each block
 * it mines, so an indexer sleeps until there is something to index instead of asking the chain for
 * its head many times a second; the poll stays as a slow fallback (and is the only way for a chain
 * reached over RPC alone).
 */

/** Subscribe to new blocks: the listener is called after each block; returns an unsubscribe. */
export type NewBlocks = (listener: () => void) => () => void;

/**
 * How long an indexer with block notifications sleeps before it looks anyway. Every block of an
 * in-process chain is announced, so this look only guards against a missed announcement; on an
 * idle devnet each look (two indexers, JSON-RPC round trips) was a visible share of the idle CPU.
 */
export const NOTIFIED_FALLBACK_POLL_MS = 30_000;

/** A polling indexer (no notifications) that finds no new block waits up to this many intervals. */
export const POLL_BACKOFF_MAX_FACTOR = 8;

/**
 * The wait before an indexer's next look. With notifications: the fallback. Without (a chain
 * reached over RPC alone): its poll interval, doubled after each look that found no new block up to
 * POLL_BACKOFF_MAX_FACTOR intervals, and back to one interval as soon as a look finds one; so a
 * quiet chain is asked less often, and a busy one as often as configured.
 */
export function pollPacer(pollIntervalMs: number, notified: boolean): (sawNewBlock: boolean) => number {
  let wait = pollIntervalMs;
  return (sawNewBlock) => {
    if (notified) return NOTIFIED_FALLBACK_POLL_MS;
    wait = sawNewBlock ? pollIntervalMs : Math.min(wait * 2, pollIntervalMs * POLL_BACKOFF_MAX_FACTOR);
    return wait;
  };
}

export interface BlockWaiter {
  /** Resolves at the next announced block (at once if one came since the last wait), after `ms`, or on close. */
  wait(ms: number): Promise<void>;
  /** Stop listening and wake a pending wait. */
  close(): void;
}

export function blockWaiter(newBlocks?: NewBlocks): BlockWaiter {
  let wake: (() => void) | undefined;
  let announced = false;
  let closed = false;
  const unsubscribe = newBlocks?.(() => {
    if (wake) wake();
    else announced = true;
  });
  return {
    wait(ms) {
      if (announced || closed) {
        announced = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => wake?.(), ms);
        wake = () => {
          wake = undefined;
          clearTimeout(timer);
          resolve();
        };
      });
    },
    close() {
      closed = true;
      unsubscribe?.();
      wake?.();
    },
  };
}
