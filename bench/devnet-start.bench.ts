/**
 * Issue 17's start-up figures, as a user meets them through the CLI: cold `asix devnet up --detach`
 * (a fresh state dir) to every service healthy, and a warm restart (`down`, then `up --detach` on
 * the saved network), beside a bare `npx hardhat node` start to its first JSON-RPC answer. The
 * three run in turn, `RUNS` times, so each sees the same drift of a shared machine's load.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { median, spread, writeResult } from "./util";
import { freeBase } from "./processes";

const ROOT = path.resolve(__dirname, "..");
const ASIX = path.join(ROOT, "cli", "bin", "run.js");
const HARDHAT = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);


function asix(args: string[]): number {
  const t = performance.now();
  const res = spawnSync(process.execPath, [ASIX, ...args], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  if (res.status !== 0) throw new Error(`asix ${args.join(" ")} failed: ${res.stderr}`);
  return performance.now() - t;
}

/** `npx hardhat node` (the project's own Hardhat, as npx runs it) until it answers eth_blockNumber. */
async function bareHardhatNode(port: number): Promise<number> {
  const t = performance.now();
  const child = spawn(process.execPath, [HARDHAT, "node", "--port", String(port)], { cwd: ROOT, stdio: "ignore", detached: true, env: { ...process.env, NODE_OPTIONS: "" } });
  let exited = false;
  child.once("exit", () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error("hardhat node exited before it answered");
      const answered = await fetch(`http://127.0.0.1:${port}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }) }).then(
        (r) => r.ok,
        () => false,
      );
      if (answered) return performance.now() - t;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    // Its own process group: bootstrap.js may have started cli.js as a child.
    const gone = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid!, "SIGKILL");
    if (!exited) await gone;
  }
}

/**
 * The supervisor's own account of its start (logs/devnet.log's last "devnet started" line): its CPU
 * time from process start, which a shared machine's load does not inflate as it does wall time.
 */
function supervisorStart(dir: string): { cpuMs: number; uptimeMs: number } {
  const lines = fs.readFileSync(path.join(dir, "logs", "devnet.log"), "utf8").trim().split("\n");
  const last = JSON.parse(lines[lines.length - 1]) as { processCpuMs: number; processUptimeMs: number };
  return { cpuMs: last.processCpuMs, uptimeMs: last.processUptimeMs };
}

async function main() {
  const loadAtStart = os.loadavg()[0];
  const coldCpu: number[] = [];
  const warmCpu: number[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "asix-bench-start-"));
  const cold: number[] = [];
  const warm: number[] = [];
  const bare: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const dir = path.join(tmp, `run-${i}`);
      const base = String(await freeBase());
      cold.push(asix(["devnet", "up", "--detach", "--port-base", base, "--devnet", dir]));
      coldCpu.push(supervisorStart(dir).cpuMs);
      asix(["devnet", "down", "--devnet", dir]);
      warm.push(asix(["devnet", "up", "--detach", "--port-base", base, "--devnet", dir]));
      warmCpu.push(supervisorStart(dir).cpuMs);
      asix(["devnet", "down", "--devnet", dir]);
      bare.push(await bareHardhatNode(await freeBase()));
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  writeResult("devnet-start", {
    loadAverage1m: { atStart: loadAtStart, atEnd: os.loadavg()[0] },
    coldUpDetachMs: { ...spread(cold, 0), target: 2000 },
    warmRestartMs: { ...spread(warm, 0), target: 1000 },
    baselineBareHardhatNodeMs: spread(bare, 0),
    ratioToBareChain: { cold: Math.round((median(cold) / median(bare)) * 100) / 100, warm: Math.round((median(warm) / median(bare)) * 100) / 100, targetCold: 2.2, targetWarm: 1.1 },
    supervisorCpuMs: { cold: spread(coldCpu, 0), warm: spread(warmCpu, 0) },
    note: "each figure is a whole CLI process as a user runs it (node start, oclif, then the devnet); the baseline is `hardhat node` to its first JSON-RPC answer",
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
