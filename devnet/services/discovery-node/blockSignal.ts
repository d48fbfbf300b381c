/**
 * New-block notifications for the indexers. An in-process chain (the devnet's) announces each block
 * it mines, so an indexer sleeps until there is something to index instead of asking the chain for
 * its head many times a second; the poll stays as a slow fallback (and is the only way for a chain
 * reached over RPC alone).
 */

/** Subscribe to new blocks: the listener is called after each block; returns an unsubscribe. */
export type NewBlocks = (listener: () => void) => () => void;

/** How long an indexer with block notifications sleeps before it looks anyway. */
export const NOTIFIED_FALLBACK_POLL_MS = 5_000;

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
