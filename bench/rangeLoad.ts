/** The content-node bench's Range load generator and the serving processes' CPU per MB. */
import fs from "node:fs";
import http from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { percentile, round } from "./util";
import { processCpuMs } from "./processes";

const MB = 1024 * 1024;

/** `concurrency` workers loop over random ranges of `rangeBytes` for a fixed time. */
export async function rangeLoad(url: string, size: number, rangeBytes: number, concurrency: number, seconds_: number) {
  // A fresh agent per run: reusing sockets the server closed while idle would count as errors.
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const ttfb: number[] = [];
  // Whole answers (request to last byte), and how late this client's own event loop runs: at 64
  // connections the client is CPU-bound, and a response's headers wait for its loop (issue 15).
  const total: number[] = [];
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  let bytes = 0;
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  const failed = (kind: string) => {
    errors++;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  };
  const deadline = performance.now() + seconds_ * 1000;
  const started = performance.now();
  const one = () =>
    new Promise<void>((resolve) => {
      const start = Math.floor(Math.random() * (size - rangeBytes));
      const t0 = performance.now();
      const req = http.get(url, { agent, headers: { range: `bytes=${start}-${start + rangeBytes - 1}` } }, (res) => {
        ttfb.push(performance.now() - t0);
        if (res.statusCode !== 206) failed(`status ${res.statusCode}`);
        res.on("data", (d: Buffer) => (bytes += d.length));
        res.on("end", () => (total.push(performance.now() - t0), resolve()));
        res.on("error", (err) => (failed(err.message), resolve()));
      });
      req.on("error", (err) => (failed((err as NodeJS.ErrnoException).code ?? err.message), resolve()));
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) await one();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  loopDelay.disable();
  ttfb.sort((a, b) => a - b);
  total.sort((a, b) => a - b);
  return {
    seconds,
    requests: ttfb.length,
    errors,
    ...(errors ? { errorKinds } : {}),
    MBps: round(bytes / MB / seconds, 1),
    ttfbP50ms: round(percentile(ttfb, 50), 2),
    ttfbP99ms: round(percentile(ttfb, 99), 2),
    totalP50ms: round(percentile(total, 50), 2),
    totalP90ms: round(percentile(total, 90), 2),
    clientLoopDelayP50ms: round(loopDelay.percentile(50) / 1e6, 2),
  };
}

/** A process and its children (nginx's master and workers). */
export function processTree(pid: number): number[] {
  const children = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      return Number(fs.readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1].split(" ")[1]) === pid;
    } catch {
      return false; // gone meanwhile
    }
  });
  return [pid, ...children.map(Number)];
}

/** `rangeLoad` with the CPU time the serving processes spent per MB sent: a figure the machine's load does not set. */
export async function measuredLoad(pid: number, url: string, size: number, rangeBytes: number, concurrency: number, seconds: number) {
  const pids = processTree(pid);
  const cpu = () => pids.reduce((n, p) => n + processCpuMs(p), 0);
  const before = cpu();
  const r = await rangeLoad(url, size, rangeBytes, concurrency, seconds);
  return { ...r, serverCpuMsPerMB: (cpu() - before) / (r.MBps * r.seconds) };
}

