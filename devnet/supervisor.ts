import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { AsixError } from "../sdk/errors";
import { waitUntil } from "./health";
import { logFile } from "./logFiles";
import { isAlive, readState, statePath, type DevnetState } from "./state";

/**
 * A devnet in the background (`asix devnet up --detach`): the supervisor is `asix devnet up` run as
 * the leader of its own process group, its output in logs/supervisor.log. Every service runs in its
 * process, so stopping the group stops everything, children such as ffmpeg included.
 */

/** Holds the detached supervisor's pid, which is also its process group's id. */
export const supervisorPidFile = (dir: string) => path.join(dir, "supervisor.pid");

/**
 * Spawn `argv` (an `asix devnet up` without --detach) detached and return once its devnet is up:
 * its devnet.json written, which happens after every service is healthy. A supervisor that exits
 * first is an error carrying the end of its log.
 */
export async function startDetached(dir: string, argv: string[], timeoutMs = 120_000): Promise<DevnetState> {
  fs.mkdirSync(path.join(dir, "logs"), { recursive: true });
  const log = logFile(dir, "supervisor");
  const out = fs.openSync(log, "a");
  const child = spawn(process.execPath, argv, { detached: true, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  const pid = child.pid;
  if (pid === undefined) throw new AsixError("INTERNAL", "could not start the devnet supervisor");
  fs.writeFileSync(supervisorPidFile(dir), String(pid));
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  child.unref();
  try {
    await waitUntil(async () => {
      if (exited !== undefined) return true;
      return readState(dir)?.pid === pid;
    }, `the devnet did not come up in ${timeoutMs} ms (see ${log})`, timeoutMs);
  } catch (e) {
    killGroup(pid);
    throw e;
  }
  if (exited !== undefined) {
    const tail = fs.readFileSync(log, "utf8").trim().split("\n").slice(-5).join("\n");
    throw new AsixError("NODE_UNAVAILABLE", `the devnet supervisor exited (code ${exited}) before the devnet was up:\n${tail}`);
  }
  return readState(dir)!;
}

/**
 * Stop the devnet of this dir: SIGTERM to its process (a clean stop), SIGKILL past `timeoutMs`, then
 * whatever is left of a detached supervisor's process group. Returns the pid it stopped, if any.
 */
export async function stopDevnetProcess(dir: string, timeoutMs = 15_000): Promise<number | undefined> {
  const state = readState(dir);
  const supervisor = readSupervisorPid(dir);
  const pid = state && isAlive(state.pid) ? state.pid : supervisor !== undefined && isAlive(supervisor) ? supervisor : undefined;
  if (pid !== undefined) {
    process.kill(pid, "SIGTERM");
    await waitUntil(async () => !isAlive(pid), "", timeoutMs).catch(() => process.kill(pid, "SIGKILL"));
    await waitUntil(async () => !isAlive(pid), `pid ${pid} did not exit`, 5_000);
  }
  cleanUpStale(dir);
  return pid;
}

/**
 * After a crash (a SIGKILLed supervisor): remove the devnet.json of a process that is gone, and kill
 * what is left of its process group (children it had started). Returns the stale pid, if any.
 */
export function cleanUpStale(dir: string): number | undefined {
  const state = readState(dir);
  const supervisor = readSupervisorPid(dir);
  if (supervisor !== undefined && !isAlive(supervisor)) {
    killGroup(supervisor);
    fs.rmSync(supervisorPidFile(dir), { force: true });
  }
  if (state && !isAlive(state.pid)) {
    fs.rmSync(statePath(dir), { force: true });
    return state.pid;
  }
  return supervisor !== undefined && !isAlive(supervisor) ? supervisor : undefined;
}

function readSupervisorPid(dir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(supervisorPidFile(dir), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** SIGKILL every process left in the group; a group with no process left is already clean. */
function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // no process left in it
  }
}
