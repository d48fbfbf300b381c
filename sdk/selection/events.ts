/**
 * What node selection and retries report, so an app can see which node served it, why another was
 * chosen, and how long that took. Delivered synchronously to `createAsix({ onEvent })`.
 */

/** Which kind of node an event is about. */
export type SelectionService = "discovery" | "content";

/** One selection, failover or retry, as `onEvent` receives it. */
export interface SelectionEvent {
  /**
   * `select`: a node was chosen (after health checks); `failover`: a node failed and the call moves
   * to another; `retry`: a failed idempotent call is tried again after a backoff.
   */
  type: "select" | "retry" | "failover";
  /** whether a discovery node or a content node */
  service: SelectionService;
  /** the node chosen (select), the one that failed (failover), or the one being retried (retry) */
  node: string;
  /** why, in a stable word or two: "first use", "recheck", "NODE_UNAVAILABLE", "behind", ... */
  reason: string;
  /** select: how long choosing took; failover: how long the failed attempt took; retry: the backoff before the next attempt */
  ms: number;
  /** retry: the upcoming attempt, from 2 */
  attempt?: number;
}

/** An app's observer of selection events (`createAsix({ onEvent })`); what it throws is ignored. */
export type SelectionEventHandler = (event: SelectionEvent) => void;

/** Deliver an event; an app's handler that throws must not break the call it observes. */
export function emitTo(handler: SelectionEventHandler | undefined, event: SelectionEvent): void {
  if (!handler) return;
  try {
    handler(event);
  } catch {
    // the observer's bug is not the caller's failure
  }
}
