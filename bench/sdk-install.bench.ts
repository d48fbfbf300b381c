/**
 * `npm run bench -- sdk-install`: what installing @asix/sdk alone costs an app. Packs the SDK
 * (`npm pack`, from the built sdk/dist), installs the tarball into fresh projects with install
 * scripts on, and measures node_modules size and package count, install time (npm cache warm and
 * cold), and the cold `require` / `import` time of a new node process, against an empty node process
 * measured in the same run. Reference SDK (@audius/sdk 10, measured elsewhere on this kind of
 * machine): 514 MB, 486 packages, cold require 0.50 s.
 *
 * BENCH_SDK_BEFORE_DIST=<a built sdk/dist of another commit> also measures that build, installed
 * the same way (its dist in place of this one's) and interleaved with the rest: a before/after
 * comparison from the same run, which a shared machine's load makes the only fair one.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspectNodeModules, installProject, packAll } from "../test/packaging/projects";
import { median, round, writeResult } from "./util";

const INSTALL_RUNS = 3;
const loadAverage = () => os.loadavg().map((x) => round(x, 2));
const STARTUP_RUNS = 21;


// Printed by each measured process after its load: the CPU time it used, start-up included.
const PRINT_CPU = ";{const u=process.cpuUsage();console.log(u.user+u.system)}";

/**
 * Wall time of a fresh node process running `code` in dir, and the CPU time it used (seconds).
 * CPU time is the steadier figure when other work shares the machine: waiting for a core adds to
 * the wall time, not to it.
 */
function nodeRun(dir: string, code: string, esm = false): { wall: number; cpu: number } {
  const args = esm ? ["--input-type=module", "-e", code + PRINT_CPU] : ["-e", code + PRINT_CPU];
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, args, { cwd: dir, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (res.status !== 0) throw new Error(`node ${args.join(" ")} exited ${res.status} in ${dir}: ${res.stderr}`);
  return { wall, cpu: Number(res.stdout.trim().split("\n").pop()) / 1e6 };
}

/** A copy of the installed project `dir` whose @asix/sdk runs the JavaScript of another build's dist. */
function beforeProject(dir: string, to: string, dist: string): string {
  fs.cpSync(dir, to, { recursive: true, verbatimSymlinks: true });
  const installed = path.join(to, "node_modules", "@asix", "sdk", "dist");
  fs.rmSync(installed, { recursive: true });
  fs.cpSync(dist, installed, { recursive: true });
  return to;
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "asix-sdk-install-"));
  try {
    const { sdk } = await packAll(tmp);
    const tarballBytes = fs.statSync(sdk).size;

    // Warm cache: what a developer with the dependencies already in ~/.npm sees.
    const warm: number[] = [];
    let dir = "";
    for (let i = 0; i < INSTALL_RUNS; i++) {
      const p = await installProject(path.join(tmp, `warm-${i}`), {}, [sdk]);
      warm.push(p.seconds);
      dir = p.dir;
    }
    // Cold cache: an empty npm cache, every dependency fetched from the registry.
    const cache = path.join(tmp, "empty-cache");
    const coldDir = path.join(tmp, "cold");
    fs.mkdirSync(coldDir);
    fs.writeFileSync(path.join(coldDir, ".npmrc"), `cache=${cache}\n`);
    const cold = await installProject(coldDir, {}, [sdk]);

    const tree = inspectNodeModules(dir);

    // The files Node opens for the entry (CommonJS; require.cache after the require).
    const loaded: string[] = JSON.parse(
      spawnSync(process.execPath, ["-e", 'require("@asix/sdk"); console.log(JSON.stringify(Object.keys(require.cache)))'], { cwd: dir, encoding: "utf8" }).stdout,
    );

    const before = process.env.BENCH_SDK_BEFORE_DIST && beforeProject(dir, path.join(tmp, "before"), process.env.BENCH_SDK_BEFORE_DIST);
    type Run = { wall: number; cpu: number };
    const runs: Record<string, Run[]> = { empty: [], require: [], import: [], ...(before ? { requireBefore: [], importBefore: [] } : {}) };
    const loadAtStart = loadAverage();
    for (let i = 0; i < STARTUP_RUNS; i++) {
      // Interleaved, so load on the shared machine affects them all alike.
      runs.empty.push(nodeRun(dir, ""));
      runs.require.push(nodeRun(dir, 'require("@asix/sdk")'));
      runs.import.push(nodeRun(dir, 'await import("@asix/sdk")', true));
      if (before) {
        runs.requireBefore.push(nodeRun(before, 'require("@asix/sdk")'));
        runs.importBefore.push(nodeRun(before, 'await import("@asix/sdk")', true));
      }
    }
    const loadAtEnd = loadAverage();
    const wall = (k: string) => median(runs[k].map((r) => r.wall));
    const cpu = (k: string) => median(runs[k].map((r) => r.cpu));
    /** One way of loading the SDK against the empty node: medians, the difference and the ratio. */
    const figure = (k: string) => ({
      wallMedian: round(wall(k), 3),
      wallOverEmpty: round(wall(k) - wall("empty"), 3),
      wallRatio: round(wall(k) / wall("empty"), 2),
      cpuMedian: round(cpu(k), 3),
      cpuOverEmpty: round(cpu(k) - cpu("empty"), 3),
      cpuRatio: round(cpu(k) / cpu("empty"), 2),
    });

    writeResult("sdk-install", {
      reference: { package: "@audius/sdk 10", nodeModulesMB: 514, packages: 486, coldRequireSeconds: 0.5, note: "measured elsewhere" },
      targets: { nodeModulesMB: 25, installSeconds: 15, coldRequireSeconds: 0.15 },
      tarballKB: round(tarballBytes / 1024, 1),
      nodeModulesMB: round(tree.bytes / 1e6, 2),
      packages: tree.names.length,
      packagesWithInstallScripts: tree.withInstallScripts,
      nativeAddons: tree.nativeAddons.length,
      installSeconds: {
        warmCacheMedian: round(median(warm), 2),
        warmCacheRuns: warm.map((x) => round(x, 2)),
        coldCache: round(cold.seconds, 2),
        note: "npm install <tarball> with install scripts on, --prefer-offline; cold uses an empty cache (registry over the network)",
      },
      startupSeconds: {
        runs: STARTUP_RUNS,
        loadAverage: { atStart: loadAtStart, atEnd: loadAtEnd },
        filesLoadedByRequire: loaded.length,
        emptyNode: { wallMedian: round(wall("empty"), 3), cpuMedian: round(cpu("empty"), 3) },
        coldRequire: figure("require"),
        coldImport: figure("import"),
        ...(before ? { before: { dist: process.env.BENCH_SDK_BEFORE_DIST, coldRequire: figure("requireBefore"), coldImport: figure("importBefore") } } : {}),
        note: "medians; CPU time (user + system) of each process, start-up included, is steadier than wall time on a shared machine",
      },
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
