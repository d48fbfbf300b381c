import type { Logger } from "../http";

/**
 * A FIFO of upload ids, run by at most `workers()` jobs at once (the transcoder's and the
 * analyzer's queues). An id already waiting or running is not queued again; `stop` drops what
 * waits, aborts what runs and resolves once every running job has settled. The jobs keep their
 * own state in the uploads table, so a stop loses nothing: the next start's resume queues them.
 */
export function createJobQueue(params: { name: string; workers: () => number; log: Logger; run: (id: string, signal: AbortSignal) => Promise<void> }) {
  const waiting: string[] = [];
  const queued = new Set<string>();
  const running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  let stopped = false;

  function pump(): void {
    while (!stopped && running.size < params.workers() && waiting.length > 0) {
      const id = waiting.shift()!;
      queued.delete(id);
      const abort = new AbortController();
      const done = params
        .run(id, abort.signal)
        .catch((err) => params.log(`${params.name} crashed`, { id, error: String(err) }))
        .finally(() => {
          running.delete(id);
          pump();
        });
      running.set(id, { abort, done });
    }
  }

  return {
    enqueue(id: string): void {
      if (stopped || queued.has(id) || running.has(id)) return;
      queued.add(id);
      waiting.push(id);
      pump();
    },
    async stop(): Promise<void> {
      stopped = true;
      waiting.length = 0;
      for (const job of running.values()) job.abort.abort();
      await Promise.allSettled([...running.values()].map((j) => j.done));
    },
  };
}
