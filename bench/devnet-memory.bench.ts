/**
 * Issue 17's memory figure: the resident memory of a default devnet, idle and at its peak while it
 * takes a large upload and transcodes it.
 *
 * The devnet runs in a child process (bench/devnet-memory-child.ts) so this process's own buffers
 * are not counted. Every SAMPLE_MS the RSS of that process and of all its descendants (the ffmpeg
 * transcodes) is read from /proc and summed. Phases:
 * 1. idle: IDLE_SECONDS after the devnet is up and has settled;
 * 2. upload: a 50 MB WAV (297 s of 44.1 kHz stereo) POSTed to one content node, then its transcode
 *    and the replication of the original and both outputs to the peers, until the upload is done
 *    and every node's repair has had REPLICATE_SECONDS to push copies;
 * 3. burst: UPLOADS_AT_ONCE such uploads to the three nodes at once (distinct bytes), which is where
 *    the transcode cap shows.
 * Baseline in the same run: the RSS of a bare `node` that only idles (what any Node process costs).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, execFileSync } from "node:child_process";
import { Wallet } from "ethers";
import { signRequestHeaders } from "../sdk/signatures";
import { round, writeResult } from "./util";

const FFMPEG: string = require("@ffmpeg-installer/ffmpeg").path;
const SAMPLE_MS = 100;
const IDLE_SECONDS = 10;
const SETTLE_MS = 5_000;
const REPLICATE_SECONDS = 10;
const UPLOADS_AT_ONCE = 3;
const MB = 1024 * 1024;
const PAGE = 4096;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** RSS in bytes of `pid` and, separately, of all its descendants, from /proc. */
function treeRss(pid: number): { main: number; children: number; childCount: number } {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const rss = (p: number) => {
    try {
      return Number(fs.readFileSync(`/proc/${p}/statm`, "utf8").split(" ")[1]) * PAGE;
    } catch {
      return 0;
    }
  };
  let children = 0;
  let childCount = 0;
  for (const p of parentOf.keys()) {
    for (let up = parentOf.get(p); up !== undefined && up > 1; up = parentOf.get(up)) {
      if (up === pid) {
        children += rss(p);
        childCount++;
        break;
      }
    }
  }
  return { main: rss(pid), children, childCount };
}

/** Sample the tree until `stop()`; the peak of the sum, and the parts at that moment. */
function sampler(pid: number) {
  const samples: { total: number; main: number; children: number; childCount: number }[] = [];
  const timer = setInterval(() => {
    const s = treeRss(pid);
    samples.push({ ...s, total: s.main + s.children });
  }, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      const peak = samples.reduce((a, b) => (b.total > a.total ? b : a), samples[0]);
      const sorted = samples.map((s) => s.total).sort((a, b) => a - b);
      return {
        samples: samples.length,
        peakMB: round(peak.total / MB, 1),
        atPeak: { devnetProcessMB: round(peak.main / MB, 1), childrenMB: round(peak.children / MB, 1), children: peak.childCount },
        mostChildren: Math.max(...samples.map((s) => s.childCount)),
        medianMB: round(sorted[Math.floor(sorted.length / 2)] / MB, 1),
      };
    },
  };
}

async function upload(url: string, wav: Buffer, variant: number): Promise<string> {
  const bytes = Buffer.from(wav);
  bytes.writeInt16LE(variant, bytes.length - 2); // distinct bytes, so each upload is a new blob
  const form = new FormData();
  form.set("template", "audio");
  form.set("files", new Blob([bytes]), "tone.wav");
  const res = await fetch(`${url}/uploads`, { method: "POST", body: form, headers: await signRequestHeaders(Wallet.createRandom()) });
  const body = (await res.json()) as { id: string }[];
  if (res.status !== 200) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`);
  for (;;) {
    const u = (await (await fetch(`${url}/uploads/${body[0].id}`)).json()) as { status: string; error?: string };
    if (u.status === "done") return body[0].id;
    if (u.status === "error") throw new Error(`transcode: ${u.error}`);
    await sleep(100);
  }
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "asix-bench-memory-"));
  const load = os.loadavg()[0];
  const wavPath = path.join(tmp, "tone.wav");
  execFileSync(FFMPEG, ["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=297", "-ac", "2", wavPath]);
  const wav = fs.readFileSync(wavPath);

  const bare = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "devnet-memory-child.ts")], {
    env: { ...process.env, ASIX_BENCH_DEVNET_DIR: path.join(tmp, "devnet") },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const urls = await new Promise<string[]>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (c) => {
        out += c;
        const line = out.split("\n").find((l) => l.startsWith("READY "));
        if (line) resolve(JSON.parse(line.slice(6)));
      });
      child.once("exit", (code) => reject(new Error(`the devnet exited (${code}) before it was up`)));
    });
    await sleep(SETTLE_MS);
    const idleSampler = sampler(child.pid!);
    await sleep(IDLE_SECONDS * 1000);
    const idle = idleSampler.stop();
    const bareRss = treeRss(bare.pid!).main;

    const one = sampler(child.pid!);
    let t = performance.now();
    await upload(urls[0], wav, 1);
    const oneSeconds = (performance.now() - t) / 1000;
    await sleep(REPLICATE_SECONDS * 1000);
    const single = one.stop();

    const burst = sampler(child.pid!);
    t = performance.now();
    await Promise.all(Array.from({ length: UPLOADS_AT_ONCE }, (_, i) => upload(urls[i % urls.length], wav, 2 + i)));
    const burstSeconds = (performance.now() - t) / 1000;
    await sleep(REPLICATE_SECONDS * 1000);
    const many = burst.stop();

    writeResult("devnet-memory", {
      machineLoadAverageAtStart: round(load, 1),
      measured: `RSS of the devnet process plus its child processes (ffmpeg), sampled every ${SAMPLE_MS} ms from /proc`,
      idle: { seconds: IDLE_SECONDS, ...idle },
      oneUpload: { measured: `one 50 MB WAV upload, its transcode and ${REPLICATE_SECONDS} s of replication`, uploadUntilDoneSeconds: round(oneSeconds, 1), ...single },
      burst: { measured: `${UPLOADS_AT_ONCE} such uploads at once, one per content node`, untilAllDoneSeconds: round(burstSeconds, 1), ...many },
      baselineBareNodeMB: round(bareRss / MB, 1),
      target: "peak <= 600 MB",
    });
  } finally {
    bare.kill();
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once("exit", r)));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error("devnet-memory bench failed:", e);
    process.exit(0); // benchmarks report; they never fail
  },
);
