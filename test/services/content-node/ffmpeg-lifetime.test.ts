import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { makeAudio } from "../../helpers/audio";
import { json, postUpload, startNodes, waitFor } from "./fixture";

/**
 * Live ffmpeg processes descended from `ppid` (zombies count as dead), from /proc: a node starts
 * ffmpeg through its spawn helper, a child of the node, so ffmpeg is the node's grandchild.
 */
function ffmpegChildren(ppid: number): number[] {
  const procs: Array<{ pid: number; parent: number; state: string }> = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(`/proc/${name}/stat`);
    if (!stat) continue;
    const [state, parent] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    procs.push({ pid: Number(name), parent: Number(parent), state });
  }
  const descendants = new Set([ppid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) if (descendants.has(p.parent) && !descendants.has(p.pid)) (descendants.add(p.pid), (grew = true));
  }
  return procs.filter((p) => p.pid !== ppid && descendants.has(p.pid) && p.state !== "Z" && readProc(`/proc/${p.pid}/comm`)?.trim() === "ffmpeg").map((p) => p.pid);
}

function isAlive(pid: number): boolean {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat !== undefined && stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
}

function readProc(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined; // the process is gone
  }
}

/** A WAV long enough that its transcode outlasts every wait below (8-bit 8 kHz keeps it small). */
const longWav = (dir: string) => makeAudio({ seconds: 3600, format: "wav", dir, sampleRate: 8000, wavCodec: "pcm_u8" });

describe("content node: ffmpeg does not outlive its node", function () {
  this.timeout(180_000);
  // The kernel's parent-death signal (setpriv --pdeathsig) exists only on Linux; elsewhere only a
  // clean stop kills ffmpeg, which the other content-node tests cover.
  before(function () {
    if (process.platform !== "linux") this.skip();
  });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "asix-ffmpeg-life-"));
  const strays: number[] = [];
  let node: ChildProcess | undefined;

  after(() => {
    node?.kill("SIGKILL");
    for (const pid of strays.filter(isAlive)) process.kill(pid, "SIGKILL"); // only if the test failed
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("kills a running transcode when its node process is killed with kill -9", async () => {
    const wav = fs.readFileSync(await longWav(work));
    node = spawn(process.execPath, ["--import", "tsx", path.resolve(__dirname, "../../../devnet/services/content-node/main.ts")], {
      env: { ...process.env, ASIX_PRIVATE_KEY: Wallet.createRandom().privateKey, ASIX_CONTENT_DIR: path.join(work, "node"), ASIX_PORT: "0", ASIX_REPLICATION_FACTOR: "1", ASIX_TRANSCODE_WORKERS: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      node!.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      node!.once("exit", (code) => reject(new Error(`the content node exited (${code}) before listening`)));
    });
    const answer = await postUpload(url, Wallet.createRandom(), "audio", wav, "long.wav");
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    const id = answer.body[0].id;
    await waitFor(async () => (await json(await fetch(`${url}/uploads/${id}`))).status === "busy", 30_000, "the transcode to start");
    let ffmpeg: number[] = [];
    await waitFor(() => (ffmpeg = ffmpegChildren(node!.pid!)).length > 0, 10_000, "an ffmpeg child of the node");
    strays.push(...ffmpeg);

    const exited = new Promise((r) => node!.once("exit", r));
    node.kill("SIGKILL");
    await exited;
    await waitFor(() => !ffmpeg.some(isAlive), 10_000, `ffmpeg ${ffmpeg.join(", ")} to die with its node`);
  });

  it("kills a running transcode on a clean stop", async () => {
    const fx = await startNodes(1, { replicationFactor: 1 });
    try {
      const url = fx.nodes[0].url;
      const answer = await postUpload(url, fx.user, "audio", fs.readFileSync(await longWav(work)), "long.wav");
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      let ffmpeg: number[] = [];
      await waitFor(() => (ffmpeg = ffmpegChildren(process.pid)).length > 0, 30_000, "an ffmpeg child");
      strays.push(...ffmpeg);
      await fx.stopNode(0);
      expect(ffmpeg.filter(isAlive)).to.deep.equal([]);
    } finally {
      await fx.close();
    }
  });
});
