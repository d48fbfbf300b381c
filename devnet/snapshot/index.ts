import fs from "node:fs";
import path from "node:path";
import { AsixError } from "../../sdk/errors";
import { fsyncDir, readJournal } from "../chainJournal";
import type { ChainHistory, ChainMark } from "./chainHistory";
import { checkSnapshotName, cloneTree, replaceTree, snapshotDir, snapshotsDir } from "./files";

export { checkSnapshotName } from "./files";

/**
 * A devnet snapshot is every component's state at one moment, kept together under
 * `<dir>/snapshots/<name>/`:
 *  - `data/`: a copy of the state dir's `data/`, taken while every service is stopped (so each
 *    SQLite file is closed and checkpointed): the chain journals, every discovery node's index,
 *    every content node's database and blobs (hard-linked), the identity service's database;
 *  - `network.json` (addresses and ports) and `snapshot.json` (its name, time and chain heads).
 * Restoring in the process that holds the chains takes them back with Hardhat's evm_revert (fast,
 * in memory; see chainHistory.ts), rewrites their journals to the snapshot's, and swaps each
 * service's data while the services are stopped; so after a restore no indexer is ahead of its
 * chain, and every node starts again from the same moment. In another process (after `down`/`up`)
 * the chains are rebuilt from the snapshot's journals instead. A devnet started without persist
 * keeps no journals, so its snapshots restore only within the process that made them.
 */
export interface SnapshotInfo {
  /** the name it was saved under */
  name: string;
  /** when it was saved, ISO 8601 */
  createdAt: string;
  /** the id of the network it was taken of (absent in older snapshots): it restores onto that network only */
  network?: string;
  /** whether it holds the chains' journals, so a devnet can start from it in another process */
  persistent: boolean;
  /** the eth chain's head when saved */
  ethChain: SnapshotChain;
  /** the data chain's head when saved */
  dataChain: SnapshotChain;
}

/** One chain as a snapshot saw it. */
export interface SnapshotChain {
  /** the chain's id */
  chainId: number;
  /** block 0's hash (the same on every fresh devnet): a snapshot's chains replay only onto this genesis */
  genesis: string;
  /** the head's block number when saved */
  blockNumber: number;
  /** the head's block hash when saved */
  hash: string;
}

/** A devnet's snapshots: `devnet.snapshots`. */
export interface DevnetSnapshots {
  /** Save (or overwrite) the snapshot `name` of the whole devnet. */
  save(name: string): Promise<SnapshotInfo>;
  /** Bring the whole devnet back to the snapshot `name`; NOT_FOUND if there is none. */
  restore(name: string, options?: RestoreOptions): Promise<SnapshotInfo>;
  /** The saved snapshots, by name. */
  list(): SnapshotInfo[];
}

/** How to restore a snapshot. */
export interface RestoreOptions {
  /**
   * Also restore a persistent snapshot taken of another network with the same genesis (every fresh
   * devnet's), as the seed cache does: the caller answers for it being of the same topology,
   * addresses and ports, as nothing here can check that. Default false: CONFLICT for another network.
   */
  acrossNetworks?: boolean;
}

/** A service whose data a snapshot holds, stopped and started again around a save or restore. */
export interface SnapshotService {
  /** its data dir, under `<dir>/data` */
  dir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** What the devnet gives its snapshots to work on. */
export interface SnapshotTarget {
  /** the state dir */
  dir: string;
  /** the network's id (persistence.ts SavedNetwork.id): a snapshot of another network is refused */
  networkId: string;
  ethChain: { chainId: number; history: ChainHistory };
  dataChain: { chainId: number; history: ChainHistory };
  /** whether the chains keep journals (persist) */
  persistent: boolean;
  /** the services, in start order */
  services: SnapshotService[];
  /** Resolve once every indexer has caught up with the chain heads (the quiet point a save waits for). */
  waitIndexed(): Promise<void>;
  /** Resolve once the restarted services are healthy. */
  waitHealthy(): Promise<void>;
}

const CHAINS = ["ethChain", "dataChain"] as const;
type ChainKey = (typeof CHAINS)[number];
const INFO_FILE = "snapshot.json";

/** What the devnet itself also calls: `adopt` after a start from a snapshot. */
export interface DevnetSnapshotsControl extends DevnetSnapshots {
  /** The chains stand at snapshot `name` (the devnet started from it): mark them, so restoring it is an in-memory revert. */
  adopt(name: string): Promise<void>;
}

export function createDevnetSnapshots(target: SnapshotTarget): DevnetSnapshotsControl {
  /** this process's evm_snapshot marks, by snapshot name */
  const marks = new Map<string, Record<ChainKey, ChainMark>>();
  let queue: Promise<unknown> = Promise.resolve();
  /** One save or restore at a time: each stops and restarts every service. */
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };
  const dataDir = path.join(target.dir, "data");

  /** Stop every service, run `work`, and start them again whatever happened. */
  const withServicesStopped = async <T>(work: () => Promise<T>): Promise<T> => {
    // Together: each owns its data dir and its fixed port, and none needs another to stop or start.
    const stopped = await Promise.allSettled(target.services.map((service) => service.stop()));
    let result: T;
    try {
      const failed = stopped.find((s): s is PromiseRejectedResult => s.status === "rejected");
      if (failed) throw failed.reason;
      result = await work();
    } finally {
      const started = await Promise.allSettled(target.services.map((service) => service.start()));
      const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
      if (failed) throw new AsixError("NODE_UNAVAILABLE", "a devnet service did not start again after the snapshot; restart the devnet", { cause: failed.reason });
    }
    await target.waitHealthy();
    await target.waitIndexed();
    return result;
  };

  return {
    save: (name) =>
      serial(async () => {
        const dest = snapshotDir(target.dir, name);
        await target.waitIndexed();
        return withServicesStopped(async () => {
          const taken = { ethChain: await target.ethChain.history.mark(), dataChain: await target.dataChain.history.mark() };
          const chainInfo = async (key: ChainKey): Promise<SnapshotChain> => {
            const { blockNumber, hash } = taken[key];
            const { history } = target[key];
            return { chainId: target[key].chainId, genesis: await history.genesis(), blockNumber, hash };
          };
          const info: SnapshotInfo = {
            name,
            createdAt: new Date().toISOString(),
            network: target.networkId,
            persistent: target.persistent,
            ethChain: await chainInfo("ethChain"),
            dataChain: await chainInfo("dataChain"),
          };
          // Built aside and renamed in, so a failed save leaves the previous snapshot of that name.
          const building = `${dest}.saving`;
          fs.rmSync(building, { recursive: true, force: true });
          cloneTree(dataDir, path.join(building, "data"));
          const network = path.join(target.dir, "network.json");
          if (fs.existsSync(network)) fs.copyFileSync(network, path.join(building, "network.json"));
          if (target.persistent) checkJournals(building, info);
          fs.writeFileSync(path.join(building, INFO_FILE), JSON.stringify(info, null, 2));
          fs.rmSync(dest, { recursive: true, force: true });
          fs.renameSync(building, dest);
          fsyncDir(snapshotsDir(target.dir));
          marks.set(name, taken);
          return info;
        });
      }),

    restore: (name, options = {}) =>
      serial(async () => {
        const from = snapshotDir(target.dir, name);
        const info = readInfo(target.dir, name);
        if (options.acrossNetworks && !(info.persistent && target.persistent)) {
          throw new AsixError("CONFLICT", `snapshot ${name} can be restored onto another network only when both keep chain journals (persist)`);
        }
        const anotherNetwork = () =>
          new AsixError("CONFLICT", `snapshot ${name} is of another network (this one was started over since, or started without persist); start a devnet from it instead: startDevnet({ snapshot: "${name}" })`);
        if (!options.acrossNetworks && info.network !== undefined && info.network !== target.networkId) throw anotherNetwork();
        for (const key of CHAINS) {
          const { history } = target[key];
          if (info[key].genesis !== (await history.genesis())) throw anotherNetwork();
        }
        return withServicesStopped(async () => {
          const known = marks.get(name);
          marks.delete(name);
          const rewind = async (key: ChainKey) => {
            const chain = target[key];
            const mark = known?.[key] ?? { id: "", blockNumber: info[key].blockNumber, hash: info[key].hash };
            const journal = readJournal(path.join(from, "data", "chains", `${chain.chainId}.journal`));
            return chain.history.rewind(mark, journal);
          };
          const swapData = async () => {
            for (const service of target.services) replaceTree(path.join(from, path.relative(target.dir, service.dir)), service.dir);
          };
          const [ethChain, dataChain] = await Promise.all([rewind("ethChain"), rewind("dataChain"), swapData()]);
          marks.set(name, { ethChain, dataChain });
          return info;
        });
      }),

    list: () => listSnapshots(target.dir),

    adopt: (name) =>
      serial(async () => {
        const info = readInfo(target.dir, name);
        const taken = { ethChain: await target.ethChain.history.mark(), dataChain: await target.dataChain.history.mark() };
        if (CHAINS.every((key) => taken[key].hash === info[key].hash)) marks.set(name, taken);
      }),
  };
}

/** Every snapshot saved in a state dir, by name. */
export function listSnapshots(dir: string): SnapshotInfo[] {
  const root = snapshotsDir(dir);
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((name) => fs.existsSync(path.join(root, name, INFO_FILE)))
    .sort()
    .map((name) => JSON.parse(fs.readFileSync(path.join(root, name, INFO_FILE), "utf8")) as SnapshotInfo);
}

function readInfo(dir: string, name: string): SnapshotInfo {
  const file = path.join(snapshotDir(dir, name), INFO_FILE);
  if (!fs.existsSync(file)) throw new AsixError("NOT_FOUND", `there is no snapshot named ${name} in ${dir} (see: asix devnet snapshot list)`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as SnapshotInfo;
}

/**
 * A client talking to a chain directly (not through the services) could mine between the marks
 * and the journal copies; the copies must lead to the marked heads.
 */
function checkJournals(building: string, info: SnapshotInfo): void {
  for (const key of CHAINS) {
    const journal = readJournal(path.join(building, "data", "chains", `${info[key].chainId}.journal`));
    const last = journal?.records.filter((r) => "h" in r).pop() as { h: string } | undefined;
    if (last && last.h !== info[key].hash) {
      throw new AsixError("CONFLICT", `the ${key === "ethChain" ? "eth" : "data"} chain mined a block while the snapshot was being saved; save again`);
    }
  }
}

/**
 * Put a snapshot's data and network in place of a stopped devnet's, so that the next start (with
 * persist) resumes from it: `startDevnet({ snapshot })`.
 */
export function installSnapshot(dir: string, name: string): SnapshotInfo {
  const info = readInfo(dir, name);
  if (!info.persistent) {
    throw new AsixError("CONFLICT", `snapshot ${name} was saved by a devnet started without persist: its chains lived in that process's memory only, so no devnet can start from it`);
  }
  const from = snapshotDir(dir, name);
  replaceTree(path.join(from, "data"), path.join(dir, "data"));
  fs.copyFileSync(path.join(from, "network.json"), path.join(dir, "network.json"));
  return info;
}
