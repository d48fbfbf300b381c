import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { DevnetState } from "../../devnet";

const ENTRY = path.resolve(__dirname, "devnetProcess.ts");

export interface DevnetChild {
  state: DevnetState;
  process: ChildProcess;
  /** kill -9, and wait until the process is gone */
  kill9(): Promise<void>;
  /** SIGTERM (a clean stop), and wait until the process is gone */
  stop(): Promise<void>;
}

/** Start a persistent devnet in a child process and wait until it is up. */
export function upDevnetChild(dir: string): Promise<DevnetChild> {
  const child = spawn(process.execPath, ["--import", "tsx", ENTRY], {
    env: { ...process.env, ASIX_FAULTS_DIR: dir, ASIX_LOG: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (c) => (stderr += c));
    child.stdout!.on("data", (c) => {
      stdout += c;
      const line = stdout.split("\n").find((l) => l.startsWith("READY "));
      if (line) resolve({ state: JSON.parse(line.slice(6)) as DevnetState, process: child, kill9: () => signal("SIGKILL"), stop: () => signal("SIGTERM") });
    });
    child.once("exit", (code, sig) => reject(new Error(`the devnet process exited (${code ?? sig}) before it was up: ${stderr.trim()}`)));
  });
}
