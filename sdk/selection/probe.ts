/** One node's `/health_check`, timed and bounded. Uses only `fetch`, so it runs in browsers too. */

export type FetchLike = typeof fetch;

export interface HealthProbe {
  node: string;
  /** time to the parsed answer, or to the failure */
  ms: number;
  /** the parsed body of a 200 answer */
  body?: unknown;
  /** why the node is not usable: "unreachable", "timeout", "status 503", "not json", or a judge's verdict */
  failure?: string;
}

/** GET `${node}/health_check` within `timeoutMs`; never throws. */
export async function probeHealth(fetchFn: FetchLike, node: string, timeoutMs: number, signal?: AbortSignal): Promise<HealthProbe> {
  const started = now();
  const timeout = AbortSignal.timeout(Math.max(1, timeoutMs));
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const res = await fetchFn(`${node}/health_check`, { signal: combined, headers: { accept: "application/json" } });
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      return { node, ms: now() - started, failure: `status ${res.status}` };
    }
    const body = await res.json().catch(() => undefined);
    if (body === undefined) return { node, ms: now() - started, failure: "not json" };
    return { node, ms: now() - started, body };
  } catch {
    return { node, ms: now() - started, failure: timeout.aborted ? "timeout" : signal?.aborted ? "aborted" : "unreachable" };
  }
}

/** Milliseconds, monotonic where the platform has a performance clock. */
export function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}
