import fs from "node:fs";
import path from "node:path";

/**
 * Write a bench result file and print it. Each figure with a spread ({min, median, max}) is compared
 * with the same figure in the previous result file of this bench: `sinceLast` lists those whose
 * median moved outside the previous run's min–max (▲ up, ▼ down), the move BENCHMARKS.md reports.
 */
export function writeResult(name: string, figures: Record<string, unknown>): void {
  const file = path.join(__dirname, "results", `${name}.json`);
  let previous: { measuredAt?: string } & Record<string, unknown> = {};
  try {
    previous = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    // first run here: nothing to compare with
  }
  const moves = movesSince(previous, figures);
  const out = {
    name,
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpus: require("node:os").cpus().length,
    loadAverage: require("node:os").loadavg().map((x: number) => round(x)),
    ...figures,
    sinceLast: previous.measuredAt ? { measuredAt: previous.measuredAt, moved: moves } : null,
  };
  fs.mkdirSync(path.join(__dirname, "results"), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  console.log(JSON.stringify(out, null, 2));
}

interface Spread {
  min: number;
  median: number;
  max: number;
}

const isSpread = (x: unknown): x is Spread =>
  typeof x === "object" && x !== null && ["min", "median", "max"].every((k) => typeof (x as Record<string, unknown>)[k] === "number");

/** Every spread figure (by dotted path) whose median left the previous run's min–max. */
export function movesSince(previous: Record<string, unknown>, now: Record<string, unknown>, prefix = ""): Record<string, string> {
  const moves: Record<string, string> = {};
  for (const [key, value] of Object.entries(now)) {
    const before = previous[key];
    const at = prefix ? `${prefix}.${key}` : key;
    if (isSpread(value) && isSpread(before)) {
      if (value.median > before.max) moves[at] = `▲ ${before.median} (${before.min}–${before.max}) → ${value.median}`;
      else if (value.median < before.min) moves[at] = `▼ ${before.median} (${before.min}–${before.max}) → ${value.median}`;
    } else if (typeof value === "object" && value !== null && !Array.isArray(value) && typeof before === "object" && before !== null) {
      Object.assign(moves, movesSince(before as Record<string, unknown>, value as Record<string, unknown>, at));
    }
  }
  return moves;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** min / median / max of repeated runs, with every run, rounded for the results file. */
export function spread(xs: number[], digits = 2): { min: number; median: number; max: number; runs: number[] } {
  return { min: round(Math.min(...xs), digits), median: round(median(xs), digits), max: round(Math.max(...xs), digits), runs: xs.map((x) => round(x, digits)) };
}

/**
 * Run `ours` and `baseline` alternately (ours, baseline, ours, baseline, …) `runs` times each, so
 * both see the same drift of a shared machine's load; returns every run of each, in order.
 */
export async function alternate<T>(runs: number, ours: () => Promise<T>, baseline: () => Promise<T>): Promise<{ ours: T[]; baseline: T[] }> {
  const out = { ours: [] as T[], baseline: [] as T[] };
  for (let i = 0; i < runs; i++) {
    out.ours.push(await ours());
    out.baseline.push(await baseline());
  }
  return out;
}

/** Median of the per-pair ratios ours[i] / baseline[i], with their spread: the figure a shared machine cannot fake. */
export function pairedRatio(ours: number[], baseline: number[]): { min: number; median: number; max: number; runs: number[] } {
  return spread(ours.map((x, i) => x / baseline[i]));
}
