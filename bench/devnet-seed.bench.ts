/**
 * Issue 17's "seed time", as a user meets it: `asix devnet up --detach` starts the default devnet
 * in its own process, then `seedDevnet` (what `asix devnet seed` runs, in the CLI's process) fills
 * it with the default catalog (20 artists, 100 tracks of 5-20 s audio with covers, 20 albums and
 * playlists, the social graph, plays, an operator and a delegator). Wall time with the time of each
 * phase, and CPU time of both processes (the devnet's including its ffmpeg children), which a shared
 * machine's load inflates far less than wall time.
 * Three times, each on a fresh devnet on the same ports: with an empty audio cache and an empty seed
 * cache (every track rendered; the seeded devnet is then kept in the seed cache, which the wall time
 * includes), then with the audio cache the first run filled and the seed cache off (a real seed, as
 * a second seed of another plan on the machine does), then from the seed cache (what a second seed
 * of the same plan does).
 * Baseline, in the same run: the `asix devnet up --detach` of each devnet.
 * The CLI runs the built dist/, so the bench first rebuilds it if the sources changed.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { readState } from "../devnet/state";
import { seedDevnet } from "../devnet/seed";
import { round, writeResult } from "./util";
import { freeBase } from "./processes";

const ROOT = path.resolve(__dirname, "..");
const ASIX = path.join(ROOT, "cli", "bin", "run.js");

function asix(args: string[]): number {
  const t = performance.now();
  const res = spawnSync(process.execPath, [ASIX, ...args], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  if (res.status !== 0) throw new Error(`asix ${args.join(" ")} failed: ${res.stderr}`);
  return performance.now() - t;
}


/**
 * CPU ms of a process and every process under it (user + system), from /proc (10 ms ticks): each
 * one's own time and that of its children that have exited. The devnet's ffmpegs are children of
 * its long-lived spawn helper, so they count only through this walk of the tree.
 */
function cpuMsOf(pid: number | "self"): number {
  const root = pid === "self" ? process.pid : pid;
  const stats = new Map<number, { parent: number; ticks: number }>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    stats.set(Number(name), { parent: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [p, s] of stats) if (tree.has(s.parent) && !tree.has(p)) (tree.add(p), (grew = true));
  }
  let ticks = 0;
  for (const p of tree) ticks += stats.get(p)?.ticks ?? 0;
  return ticks * 10;
}

/** Bytes of the files under a folder (hard links counted once per name). */
function treeBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? treeBytes(p) : e.isFile() ? fs.statSync(p).size : 0;
  }
  return n;
}

async function seedOnce(tmp: string, name: string, portBase: number, caches: { audioCache: string; cache: string | false }) {
  const dir = path.join(tmp, name);
  const upMs = asix(["devnet", "up", "--detach", "--devnet", dir, "--port-base", String(portBase)]);
  const state = readState(dir);
  if (!state) throw new Error("the devnet wrote no state");
  try {
    const phases: Record<string, number> = {};
    const devnetCpu = cpuMsOf(state.pid);
    const selfCpu = cpuMsOf("self");
    const started = performance.now();
    const seeded = await seedDevnet(state, {
      seed: 1,
      ...caches,
      log: (line) => (phases[line.replace(/^\d+ /, "").replace(/[0-9a-fx]{42}/gi, "…")] = round((performance.now() - started) / 1000, 1)),
    });
    const seconds = (performance.now() - started) / 1000;
    return {
      seconds: round(seconds, 1),
      fromCache: seeded.fromCache,
      seedSecondsWithoutCacheSave: round(seeded.ms / 1000, 1),
      cpuSeconds: { devnetProcess: round((cpuMsOf(state.pid) - devnetCpu) / 1000, 1), seedProcess: round((cpuMsOf("self") - selfCpu) / 1000, 1) },
      artists: seeded.artists.length,
      tracks: seeded.tracks.length,
      audioSeconds: seeded.tracks.reduce((s, t) => s + t.seconds, 0),
      playlistsAndAlbums: seeded.playlists.length,
      follows: seeded.follows,
      saves: seeded.saves,
      reposts: seeded.reposts,
      plays: seeded.plays,
      phasesEndAtSeconds: phases,
      baselineUpDetachSeconds: round(upMs / 1000, 2),
    };
  } finally {
    asix(["devnet", "down", "--devnet", dir]);
  }
}

async function main() {
  // the detached devnet runs cli/dist and devnet/dist: without this it would measure the last build
  const build = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-ts.js"), "--if-stale"], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) throw new Error("the build failed");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "asix-bench-seed-"));
  const load = os.loadavg()[0];
  try {
    const audioCache = path.join(tmp, "audio-cache");
    const seedCache = path.join(tmp, "seed-cache");
    // one port base for all three: the URLs are registered on chain, so they are part of the seed cache's key
    const portBase = await freeBase();
    const cold = await seedOnce(tmp, "cold", portBase, { audioCache, cache: seedCache });
    const warm = await seedOnce(tmp, "warm", portBase, { audioCache, cache: false });
    // a restore is short, so three of them, each on its own fresh devnet beside its own up
    const cachedRuns = [];
    for (let i = 0; i < 3; i++) cachedRuns.push(await seedOnce(tmp, `cached-${i}`, portBase, { audioCache, cache: seedCache }));
    if (cold.fromCache || warm.fromCache || cachedRuns.some((r) => !r.fromCache)) throw new Error("the seed cache was not used as planned");
    const sorted = cachedRuns.map((r) => r.seconds).sort((a, b) => a - b);
    const cached = { ...cachedRuns[1], secondsMinMedianMax: [sorted[0], sorted[1], sorted[2]], upDetachSeconds: cachedRuns.map((r) => r.baselineUpDetachSeconds) };
    writeResult("devnet-seed", {
      loadAverageAtStart: round(load, 2),
      loadAverageAtEnd: round(os.loadavg()[0], 2),
      how: "asix devnet up --detach (its own process), then seedDevnet from this process as asix devnet seed does",
      seed: { coldAudioCache: cold, warmAudioCache: warm, fromSeedCache: cached },
      firstOverCachedMedian: round(cold.seconds / sorted[1], 1),
      seedCacheEntryMegabytes: round(treeBytes(seedCache) / 1e6, 1),
      baseline: { what: "asix devnet up --detach of the same default devnet, same run", seconds: [cold.baselineUpDetachSeconds, warm.baselineUpDetachSeconds, ...cached.upDetachSeconds] },
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
