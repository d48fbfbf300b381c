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

/** Wall time of a fresh node process running args in dir, in seconds. */
function nodeSeconds(dir: string, args: string[]): number {
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, args, { cwd: dir, stdio: "ignore", env: { ...process.env, NODE_OPTIONS: "" } });
  if (res.status !== 0) throw new Error(`node ${args.join(" ")} exited ${res.status} in ${dir}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
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

    const empty: number[] = [];
    const requireT: number[] = [];
    const importT: number[] = [];
    for (let i = 0; i < STARTUP_RUNS; i++) {
      // Interleaved, so load on the shared machine affects all three alike.
      empty.push(nodeSeconds(dir, ["-e", ""]));
      requireT.push(nodeSeconds(dir, ["-e", 'require("@asix/sdk")']));
      importT.push(nodeSeconds(dir, ["--input-type=module", "-e", 'await import("@asix/sdk")']));
    }

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
        emptyNodeMedian: round(median(empty), 3),
        coldRequireMedian: round(median(requireT), 3),
        coldImportMedian: round(median(importT), 3),
        requireOverEmptyMedian: round(median(requireT) - median(empty), 3),
        importOverEmptyMedian: round(median(importT) - median(empty), 3),
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
