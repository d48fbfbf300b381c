import fs from "node:fs";
import path from "node:path";

/** Write a bench result file and print it. */
export function writeResult(name: string, figures: Record<string, unknown>): void {
  const out = { name, measuredAt: new Date().toISOString(), node: process.version, cpus: require("node:os").cpus().length, ...figures };
  fs.mkdirSync(path.join(__dirname, "results"), { recursive: true });
  fs.writeFileSync(path.join(__dirname, "results", `${name}.json`), JSON.stringify(out, null, 2) + "\n");
  console.log(JSON.stringify(out, null, 2));
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
