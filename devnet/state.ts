import fs from "node:fs";
import path from "node:path";
import type { DevnetDescriptor } from "../sdk/network";
import { AsixError } from "../sdk/errors";
import type { RegisteredNode } from "../sdk/protocol/nodes";

/** A node the devnet registered (sdk/protocol/nodes' record, without what it does not keep). */
export type DevnetNode = Pick<RegisteredNode, "endpoint" | "spId" | "delegateOwnerWallet">;

/** A funded devnet account: its index, role, address and private key. */
export interface DevnetAccount {
  /** its HD index (m/44'/60'/0'/0/index) */
  index: number;
  /** what the devnet uses it for: deployer, verifier, node operator, relayer or user */
  role: string;
  /** its address, funded on both chains */
  address: string;
  /** its private key (a well-known test key: never use it elsewhere) */
  privateKey: string;
}

/** What `devnet.json` holds: every URL, chain id, contract address and account. */
export interface DevnetState extends DevnetDescriptor {
  /** its services' URLs */
  services: DevnetDescriptor["services"] & {
    /** the devnet's own OAuth provider (social verification) */
    oauthProvider: string;
    /** the explorer page, `<url>/explorer/` (devnet/explorer) */
    explorer?: string;
  };
  /** the format of devnet.json */
  version: 1;
  /** the process running the devnet */
  pid: number;
  /** when it started, ISO 8601 */
  startedAt: string;
  /** its state directory */
  dir: string;
  /** the funded accounts and their roles */
  accounts: DevnetAccount[];
  /** the content nodes it registered */
  contentNodes: DevnetNode[];
  /** the discovery nodes it registered */
  discoveryNodes: DevnetNode[];
  /** the devnet CA clients trust, when it serves HTTPS (`asix devnet up --tls`) */
  caFile?: string;
  /** the control API's URL (127.0.0.1 only; see devnet/control), when it serves one */
  control?: string;
}

export const DEFAULT_DEVNET_DIR = path.join(".asix", "devnet");

/** Where a devnet's state file (devnet.json) is in its directory. */
export function statePath(dir: string): string {
  return path.join(dir, "devnet.json");
}

export function writeState(state: DevnetState): void {
  fs.mkdirSync(state.dir, { recursive: true });
  const file = statePath(state.dir);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * Find the running devnet: `dir` if given, else ASIX_DEVNET_DIR, else `.asix/devnet` in this folder
 * or the nearest parent that has one.
 */
export function findState(dir?: string): DevnetState {
  const candidates: string[] = [];
  if (dir) candidates.push(path.resolve(dir));
  else if (process.env.ASIX_DEVNET_DIR) candidates.push(path.resolve(process.env.ASIX_DEVNET_DIR));
  else {
    for (let d = process.cwd(); ; d = path.dirname(d)) {
      candidates.push(path.join(d, DEFAULT_DEVNET_DIR));
      if (path.dirname(d) === d) break;
    }
  }
  for (const candidate of candidates) {
    const file = statePath(candidate);
    if (!fs.existsSync(file)) continue;
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as DevnetState;
    if (!isAlive(state.pid)) {
      throw new AsixError("NODE_UNAVAILABLE", `the devnet in ${candidate} is not running (start it with: npx asix devnet up)`);
    }
    return state;
  }
  throw new AsixError("NODE_UNAVAILABLE", "no running devnet found (start one with: npx asix devnet up)");
}

/** Two devnets must not share a state dir: both would append to the same journals. */
export function refuseIfRunning(dir: string): void {
  const running = readState(dir);
  if (running && running.pid !== process.pid && isAlive(running.pid)) {
    throw new AsixError("CONFLICT", `a devnet is already running in ${dir} (pid ${running.pid}); stop it first (npx asix devnet down)`);
  }
}

/** devnet.json of this dir, or undefined when there is none (or an unreadable one). */
export function readState(dir: string): DevnetState | undefined {
  try {
    return JSON.parse(fs.readFileSync(statePath(dir), "utf8")) as DevnetState;
  } catch {
    return undefined;
  }
}

/** Remove devnet.json if it is still this start's (a later start in the same dir owns its own). */
export function removeStateIfOurs(state: Pick<DevnetState, "dir" | "pid" | "startedAt">): void {
  const current = readState(state.dir);
  if (current && current.pid === state.pid && current.startedAt === state.startedAt) fs.rmSync(statePath(state.dir), { force: true });
}

/** Whether a process with this pid is running. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
