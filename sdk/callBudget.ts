import { AsixError, isAsixError } from "./errors";
import type { CallOptions } from "./http";

/**
 * One call's cancellation and time budget, shared by every request it makes (a write's user
 * lookup, relay, wait for indexing and status check): the caller's `timeoutMs` bounds the whole
 * call, not each request, and its `signal` stops whichever step is running.
 */
export class CallBudget {
  readonly signal?: AbortSignal;
  private readonly deadline?: number;

  constructor(options: CallOptions = {}, private readonly context: string) {
    const { signal, timeoutMs } = options ?? {};
    if (timeoutMs !== undefined && (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs < 0)) {
      throw new AsixError("INVALID_INPUT", `${context}: timeoutMs must be a non-negative number of milliseconds`);
    }
    if (signal !== undefined && !(signal instanceof AbortSignal)) throw new AsixError("INVALID_INPUT", `${context}: signal must be an AbortSignal`);
    this.signal = signal;
    // 0 means no timeout, as for a single request.
    if (timeoutMs) this.deadline = Date.now() + timeoutMs;
  }

  /** Milliseconds left, or undefined when the call has no timeout. */
  remainingMs(): number | undefined {
    return this.deadline === undefined ? undefined : this.deadline - Date.now();
  }

  /** Throws ABORTED or TIMEOUT once the signal fired or the time is spent. */
  check(): void {
    if (this.signal?.aborted) throw this.aborted();
    const left = this.remainingMs();
    if (left !== undefined && left <= 0) throw this.timedOut();
  }

  /** The options for the next request: the caller's signal and what is left of the time (at least 1 ms, since 0 would mean none). */
  next(): CallOptions {
    this.check();
    const left = this.remainingMs();
    return { signal: this.signal, timeoutMs: left === undefined ? undefined : Math.max(1, Math.ceil(left)) };
  }

  /** Wait up to `ms`; ends early with ABORTED on the signal, and never waits past the deadline. */
  sleep(ms: number): Promise<void> {
    this.check();
    const left = this.remainingMs();
    const wait = left === undefined ? ms : Math.min(ms, Math.max(0, left));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(this.aborted());
      };
      const timer = setTimeout(() => {
        this.signal?.removeEventListener("abort", onAbort);
        resolve();
      }, wait);
      this.signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /**
   * Run the call; a failure that came from the budget running out reads as such: ABORTED when the
   * signal fired, TIMEOUT when the time is spent (a request cut short by the remaining time, or a
   * node choice that could not finish within it, would otherwise say NODE_UNAVAILABLE).
   */
  async run<T>(body: (budget: CallBudget) => Promise<T>): Promise<T> {
    try {
      this.check();
      return await body(this);
    } catch (e) {
      if (this.signal?.aborted) throw isAsixError(e, "ABORTED") ? e : this.aborted(e);
      const left = this.remainingMs();
      if (left !== undefined && left <= 0 && (isAsixError(e, "NODE_UNAVAILABLE") || isAsixError(e, "TIMEOUT"))) {
        throw isAsixError(e, "TIMEOUT") ? e : this.timedOut(e);
      }
      throw e;
    }
  }

  private aborted(cause?: unknown): AsixError {
    return new AsixError("ABORTED", `${this.context}: aborted`, { cause: cause ?? this.signal?.reason });
  }

  private timedOut(cause?: unknown): AsixError {
    return new AsixError("TIMEOUT", `${this.context}: did not finish within its timeoutMs`, { cause });
  }
}

/** Run `body` within the budget `options` give. */
export async function withBudget<T>(options: CallOptions | undefined, context: string, body: (budget: CallBudget) => Promise<T>): Promise<T> {
  return new CallBudget(options, context).run(body);
}
