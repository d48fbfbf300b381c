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
