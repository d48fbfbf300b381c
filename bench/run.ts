/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process, one after another (so they do
 * not disturb each other's figures), and lists the result files. Benchmarks report; they never fail.
 * `npm run bench -- devnet content` runs only the ones whose names contain those words.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const only = process.argv.slice(2);
const files = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const summary: Record<string, { seconds: number; exitCode: number | null }> = {};
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const started = Date.now();
  const res = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, file)], { stdio: "inherit", env: process.env });
  summary[file] = { seconds: (Date.now() - started) / 1000, exitCode: res.status };
  if (res.status !== 0) console.log(`(${file} exited with ${res.status}; its figures may be missing)`);
}
console.log("\n=== results ===");
for (const [file, s] of Object.entries(summary)) console.log(`${file.padEnd(32)} ${s.seconds.toFixed(1)} s  exit ${s.exitCode}`);
for (const f of fs.readdirSync(path.join(__dirname, "results")).filter((f) => f.endsWith(".json"))) console.log(`bench/results/${f}`);
