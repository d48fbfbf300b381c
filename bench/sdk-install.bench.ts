/**
 * `npm run bench -- sdk-install`: what installing @asix/sdk alone costs an app. Packs the SDK
 * (`npm pack`, from the built sdk/dist), installs the tarball into fresh projects with install
 * scripts on, and measures node_modules size and package count, install time (npm cache warm and
 * cold), and the cold `require` / `import` time of a new node process, against an empty node process
 * measured in the same run. Reference SDK (@audius/sdk 10, measured elsewhere on this kind of
 * machine): 514 MB, 486 packages, cold require 0.50 s.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspectNodeModules, installProject, packAll } from "../test/packaging/projects";
import { round, writeResult } from "./util";

const INSTALL_RUNS = 3;
const STARTUP_RUNS = 15;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

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

    const runs = { empty: [] as { wall: number; cpu: number }[], require: [] as { wall: number; cpu: number }[], import: [] as { wall: number; cpu: number }[] };
    for (let i = 0; i < STARTUP_RUNS; i++) {
      // Interleaved, so load on the shared machine affects all three alike.
      runs.empty.push(nodeRun(dir, ""));
      runs.require.push(nodeRun(dir, 'require("@asix/sdk")'));
      runs.import.push(nodeRun(dir, 'await import("@asix/sdk")', true));
    }
    const wall = (k: keyof typeof runs) => median(runs[k].map((r) => r.wall));
    const cpu = (k: keyof typeof runs) => median(runs[k].map((r) => r.cpu));

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
        emptyNodeMedian: round(wall("empty"), 3),
        coldRequireMedian: round(wall("require"), 3),
        coldImportMedian: round(wall("import"), 3),
        requireOverEmptyMedian: round(wall("require") - wall("empty"), 3),
        importOverEmptyMedian: round(wall("import") - wall("empty"), 3),
        cpu: {
          emptyNodeMedian: round(cpu("empty"), 3),
          coldRequireMedian: round(cpu("require"), 3),
          coldImportMedian: round(cpu("import"), 3),
          requireOverEmptyRatio: round(cpu("require") / cpu("empty"), 2),
          importOverEmptyRatio: round(cpu("import") / cpu("empty"), 2),
          note: "CPU time (user + system) of each process, start-up included: steadier than wall time on a shared machine",
        },
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
