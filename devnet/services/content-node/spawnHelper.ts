import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { EventEmitter } from "node:events";
import net from "node:net";
import { PassThrough, type Readable } from "node:stream";

/**
 * ffmpeg started by a small helper process instead of by this one. Spawning forks the caller, and
 * forking the devnet's process (several nodes, two chains, hundreds of MB) copies its page tables:
 * tens of milliseconds of its main thread per ffmpeg, 7 s of a 40-track seed. The helper is a bare
 * `node -e` of a few MB, started once; it receives each job over IPC and spawns ffmpeg there.
 * ffmpeg's outputs do not pass through the helper: for each piped fd the helper connects a Unix
 * socket to this process's server (an abstract name on Linux, so no file to clean up), writes the
 * job's one-time token on it, and hands that socket to ffmpeg as the fd. This process reads ffmpeg's
 * bytes directly; the token (sent over the private IPC channel) is how it knows which job and fd a
 * connection is for, and refuses any other local process that connects.
 */

const HELPER_SOURCE = `
const { spawn } = require("node:child_process");
const net = require("node:net");
const jobs = new Map();
const killed = new Set();
const connect = (path, token) => new Promise((resolve, reject) => {
  const s = net.connect(path);
  s.once("error", reject);
  s.once("connect", () => s.write(token + "\\n", () => resolve(s)));
});
process.on("message", async (m) => {
  if (m.kill) return void (jobs.has(m.id) ? jobs.get(m.id).kill("SIGKILL") : killed.add(m.id));
  let sockets = [];
  try {
    sockets = await Promise.all(m.tokens.map((t) => connect(m.socketPath, t)));
    // ffmpeg expects blocking fds: libuv makes fds 0-2 so in the child, fd 3 and up it leaves as they are
    for (const s of sockets) s._handle.setBlocking(true);
    const stdio = ["ignore"];
    m.fds.forEach((fd, i) => (stdio[fd] = sockets[i]));
    for (let fd = 1; fd < stdio.length; fd++) stdio[fd] ??= "ignore";
    const child = spawn(m.cmd, m.args, { stdio });
    jobs.set(m.id, child);
    if (killed.delete(m.id)) child.kill("SIGKILL");
    child.once("error", (e) => { jobs.delete(m.id); process.send({ id: m.id, error: e.message }); });
    child.once("exit", (code, signal) => { jobs.delete(m.id); process.send({ id: m.id, code, signal }); });
  } catch (e) {
    process.send({ id: m.id, error: String(e && e.message || e) });
  } finally {
    for (const s of sockets) s.destroy(); // ffmpeg holds its own copies of the fds
  }
});
process.on("disconnect", () => { for (const c of jobs.values()) c.kill("SIGKILL"); process.exit(0); });
`;

/** What a spawned tool looks like to its caller: ChildProcess's events and the parts of it ffmpeg's callers use. */
export interface ToolProcess extends EventEmitter {
  /** by fd; a Readable for each fd that was asked to be piped */
  stdio: Array<Readable | null>;
  stdout: Readable;
  stderr: Readable;
  kill(signal?: NodeJS.Signals): void;
}

interface Job {
  proc: ToolProcess;
  streams: Map<string, { fd: number; stream: PassThrough; ended: boolean }>;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  closed: boolean;
}

class SpawnHelper {
  private readonly jobs = new Map<number, Job>();
  private readonly byToken = new Map<string, Job>();
  private nextId = 1;
  private child?: ChildProcess;
  private readonly server: net.Server;
  private readonly socketPath = `\0asix-spawn-${process.pid}-${randomBytes(8).toString("hex")}`;
  private listening: Promise<void>;

  constructor() {
    this.server = net.createServer((socket) => this.accept(socket));
    this.listening = new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.socketPath, () => resolve());
    });
    this.server.unref();
  }

  async spawn(cmd: string, args: string[], fds: number[]): Promise<ToolProcess> {
    await this.listening;
    const child = this.helper();
    const id = this.nextId++;
    const proc = new EventEmitter() as ToolProcess;
    const job: Job = { proc, streams: new Map(), closed: false };
    proc.stdio = [];
    for (const fd of fds) {
      const token = randomBytes(16).toString("hex");
      const stream = new PassThrough();
      job.streams.set(token, { fd, stream, ended: false });
      this.byToken.set(token, job);
      proc.stdio[fd] = stream;
    }
    proc.stdout = proc.stdio[1] ?? new PassThrough().end();
    proc.stderr = proc.stdio[2] ?? new PassThrough().end();
    proc.kill = () => void (this.jobs.has(id) && child.connected && child.send({ kill: true, id }));
    this.jobs.set(id, job);
    child.channel?.ref();
    child.send({ id, cmd, args, fds, tokens: [...job.streams.keys()], socketPath: this.socketPath });
    return proc;
  }

  private helper(): ChildProcess {
    if (this.child?.connected) return this.child;
    // setpriv: the kernel kills the helper with this process, even by kill -9 (see ffmpeg.ts); its
    // ffmpegs then die with it, by the same signal, and it kills them itself when its IPC closes.
    const node = [process.execPath, "-e", HELPER_SOURCE];
    const [cmd, ...argv] = SETPRIV ? [SETPRIV, "--pdeathsig", "KILL", "--", ...node] : node;
    const child = spawn(cmd, argv, { stdio: ["ignore", "inherit", "inherit", "ipc"], env: { ...process.env, NODE_OPTIONS: "" } });
    child.on("message", (m: { id: number; code?: number | null; signal?: NodeJS.Signals | null; error?: string }) => {
      const job = this.jobs.get(m.id);
      if (!job) return;
      if (m.error !== undefined) return this.fail(m.id, new Error(m.error));
      job.exit = { code: m.code ?? null, signal: m.signal ?? null };
      this.settle(m.id);
    });
    // a helper that dies takes its jobs with it: they fail, and the next job starts a new helper
    child.on("exit", () => {
      for (const id of [...this.jobs.keys()]) this.fail(id, new Error("the spawn helper exited"));
    });
    child.on("error", () => undefined); // reported through "exit" or the failed send
    child.unref();
    this.child = child;
    return child;
  }

  private accept(socket: net.Socket): void {
    let head = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      head = Buffer.concat([head, d]);
      const nl = head.indexOf(10);
      if (nl < 0) {
        if (head.length > 64) socket.destroy();
        return;
      }
      socket.off("data", onData);
      const token = head.subarray(0, nl).toString();
      const job = this.byToken.get(token);
      const entry = job?.streams.get(token);
      if (!job || !entry) return void socket.destroy(); // not a connection the helper made for a job
      this.byToken.delete(token);
      const rest = head.subarray(nl + 1);
      if (rest.length > 0) entry.stream.write(rest);
      socket.on("data", (chunk: Buffer) => entry.stream.write(chunk));
      socket.once("close", () => {
        entry.ended = true;
        entry.stream.end();
        const id = [...this.jobs].find(([, j]) => j === job)?.[0];
        if (id !== undefined) this.settle(id);
      });
    };
    socket.on("data", onData);
    socket.on("error", () => socket.destroy());
  }

  /** "close" once ffmpeg has exited and every one of its outputs has ended, as ChildProcess does. */
  private settle(id: number): void {
    const job = this.jobs.get(id);
    if (!job || !job.exit || [...job.streams.values()].some((s) => !s.ended)) return;
    this.finish(id);
    job.proc.emit("exit", job.exit.code, job.exit.signal);
    job.proc.emit("close", job.exit.code, job.exit.signal);
  }

  private fail(id: number, err: Error): void {
    const job = this.jobs.get(id);
    if (!job) return;
    this.finish(id);
    for (const s of job.streams.values()) s.stream.end();
    job.proc.emit("error", err);
  }

  private finish(id: number): void {
    const job = this.jobs.get(id)!;
    this.jobs.delete(id);
    for (const token of job.streams.keys()) this.byToken.delete(token);
    if (this.jobs.size === 0) this.child?.channel?.unref();
  }
}

/**
 * `setpriv --pdeathsig KILL` (util-linux) makes the kernel kill ffmpeg when the node process that
 * started it dies, even by kill -9, when nothing runs our cleanup. Without it (not Linux) a clean
 * stop still kills ffmpeg through the abort signal.
 */
export const SETPRIV = process.platform === "linux" ? findOnPath("setpriv") : undefined;

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(path.delimiter).concat("/usr/bin", "/bin")) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

let helper: SpawnHelper | undefined;
let helperUnusable = false;

/**
 * Start `cmd` with the given fds piped (1 and 2 are stdout and stderr; 3 and up are extra pipes),
 * stdin and every other fd ignored. Through the helper on Linux; elsewhere, or when the helper's
 * socket cannot listen, a plain spawn.
 */
export async function spawnTool(cmd: string, args: string[], fds: number[]): Promise<ToolProcess> {
  if (process.platform === "linux" && !helperUnusable) {
    helper ??= new SpawnHelper();
    try {
      return await helper.spawn(cmd, args, fds);
    } catch {
      // the helper's socket could not listen (a sandbox without Unix sockets): spawn from here
      helperUnusable = true;
    }
  }
  const stdio: Array<"pipe" | "ignore"> = ["ignore"];
  for (let fd = 1; fd <= Math.max(...fds); fd++) stdio[fd] = fds.includes(fd) ? "pipe" : "ignore";
  return spawn(cmd, args, { stdio }) as unknown as ToolProcess;
}
