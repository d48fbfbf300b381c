import { expect } from "chai";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { makeAudio } from "../../helpers/audio";
import { postUpload, waitForUpload } from "./fixture";

const MAIN = path.resolve(__dirname, "../../../devnet/services/content-node/main.ts");

/** A content node in its own process (so it can be killed with kill -9), optionally under strace. */
async function startNode(dir: string, strace?: string): Promise<{ url: string; proc: ChildProcess }> {
  const env = { ...process.env, ASIX_PRIVATE_KEY: Wallet.createRandom().privateKey, ASIX_CONTENT_DIR: dir, ASIX_PORT: "0", ASIX_REPLICATION_FACTOR: "1", ASIX_TRANSCODE_WORKERS: "1" };
  const node = [process.execPath, "--import", "tsx", MAIN];
  // -f: the thread pool's threads; -y: the path behind each fd; -s: enough of a write to see "HTTP/1.1 200"
  const [cmd, ...args] = strace ? ["strace", "-f", "-y", "-qq", "-s", "24", "-o", strace, "-e", "trace=fsync,fdatasync,rename,renameat,renameat2,write,writev", ...node] : node;
  // its own process group, so kill -9 reaches the node under strace too
  const proc = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "inherit"], detached: true });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    proc.once("exit", (code) => reject(new Error(`the content node exited (${code}) before listening`)));
  });
  return { url, proc };
}

async function kill9(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once("exit", r));
  process.kill(-proc.pid!, "SIGKILL");
  await exited;
}

/**
 * kill -9 the node that strace runs, not strace: it then sees its tracees die, writes out the rest
 * of its log and exits. Killing the whole group could kill strace before it wrote the answer's line.
 */
async function kill9UnderStrace(strace: ChildProcess): Promise<void> {
  if (strace.exitCode !== null || strace.signalCode !== null) return;
  const exited = new Promise((r) => strace.once("exit", r));
  const children = fs.readFileSync(`/proc/${strace.pid}/task/${strace.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  for (const pid of children) process.kill(Number(pid), "SIGKILL");
  await exited;
}

/**
 * The syscalls of a strace -f log in the order they completed (a call a thread started and another
 * line interrupted is logged as "<unfinished ...>", then "<... name resumed>"), each as its whole text.
 */
function completedCalls(log: string): string[] {
  const open = new Map<string, string>();
  const done: string[] = [];
  for (const line of log.split("\n")) {
    const m = /^(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, pid, call] = m;
    if (call.endsWith("<unfinished ...>")) open.set(pid, call.slice(0, -"<unfinished ...>".length));
    else if (/^<\.\.\. \w+ resumed>/.test(call)) {
      done.push((open.get(pid) ?? "") + call.replace(/^<\.\.\. \w+ resumed>/, ""));
      open.delete(pid);
    } else done.push(call);
  }
  return done;
}

describe("content node: an upload it answered for survives a crash", function () {
  this.timeout(180_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "asix-durable-"));
  const running: ChildProcess[] = [];
  after(async () => {
    for (const p of running) await kill9(p);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("keeps the blob and the upload when the node is killed right after answering, and finishes the transcode on restart", async () => {
    const dir = path.join(work, "kill");
    const wav = fs.readFileSync(await makeAudio({ seconds: 20, format: "wav", dir: work }));
    const first = await startNode(dir);
    running.push(first.proc);
    const answer = await postUpload(first.url, Wallet.createRandom(), "audio", wav, "a.wav");
    await kill9(first.proc); // before the transcode can have done anything
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    const { id, orig_file_cid: cid } = answer.body[0];

    const second = await startNode(dir);
    running.push(second.proc);
    const stored = await fetch(`${second.url}/content/${cid}`);
    expect(stored.status).to.equal(200);
    expect(Buffer.from(await stored.arrayBuffer()).equals(wav)).to.equal(true);
    const upload = await waitForUpload(second.url, id);
    expect(upload.status, JSON.stringify(upload)).to.equal("done");
    expect((await fetch(`${second.url}/content/${upload.results["320"]}`, { method: "HEAD" })).status).to.equal(200);
    await kill9(second.proc);
  });

  it("has the bytes, the rename, its directory and the rows on disk before the answer's first byte", async function () {
    if (spawnSync("strace", ["-V"]).status !== 0) this.skip(); // strace is what sees the order of the syscalls
    const dir = path.join(work, "order");
    const trace = path.join(work, "strace.log");
    const wav = fs.readFileSync(await makeAudio({ seconds: 20, format: "wav", dir: work }));
    const node = await startNode(dir, trace);
    running.push(node.proc);
    const answer = await postUpload(node.url, Wallet.createRandom(), "audio", wav, "a.wav");
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    const cid: string = answer.body[0].orig_file_cid;
    await kill9UnderStrace(node.proc);

    const calls = completedCalls(fs.readFileSync(trace, "utf8"));
    const at = (what: string, test: (call: string) => boolean) => {
      const i = calls.findIndex(test);
      expect(i, `${what} in the trace`).to.be.greaterThan(-1);
      return i;
    };
    const ok = (call: string) => / = 0$/.test(call.trim());
    const answered = at("the answer", (c) => /^write(v)?\(\d+<(TCP|socket)/.test(c) && c.includes("HTTP/1.1 200"));
    const rename = at("the rename into blobs/", (c) => /^rename/.test(c) && c.includes(`/blobs/${cid.slice(-2)}/${cid}"`) && ok(c));
    const fileSync = at("the temp file's fsync", (c) => /^f(data)?sync\(\d+<[^>]*\/tmp\/[0-9a-f]{24}>\s*\)/.test(c) && ok(c));
    const dirSync = at("its directory's fsync", (c) => new RegExp(`^fsync\\(\\d+<[^>]*/blobs/${cid.slice(-2)}>\\s*\\)`).test(c) && ok(c));
    const walSync = calls.findIndex((c, i) => i > rename && /^f(data)?sync\(\d+<[^>]*content-node\.sqlite-wal>\s*\)/.test(c) && ok(c));
    expect(fileSync, "the file's fsync before the rename").to.be.lessThan(rename);
    expect(dirSync, "the directory's fsync after the rename").to.be.greaterThan(rename);
    expect(walSync, "SQLite's log fsynced after the rename (the rows are in it)").to.be.greaterThan(rename);
    expect(Math.max(dirSync, walSync), "all of it before the answer").to.be.lessThan(answered);
  });
});
