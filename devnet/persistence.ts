import fs from "node:fs";
import path from "node:path";
import type { EIP1193Provider } from "hardhat/types";
import { AsixError } from "../sdk/errors";
import { fsyncDir } from "./chainJournal";
import type { EthContracts } from "./deployEth";
import type { DevnetState } from "./state";
import type { DevnetPorts, DevnetTopology } from "./topology";

/**
 * A persistent devnet keeps, in its state dir:
 *  - `data/chains/<chainId>.journal`: every block each chain mined, written before any client saw
 *    it (chainJournal.ts); the chains are rebuilt from these on start;
 *  - `data/<node>/`: each service's own data (blobs, indexes, the identity database);
 *  - `network.json`: what the setup made (contract addresses, registered nodes) and every port,
 *    written once the setup is complete and again on each start.
 * Nothing under `data/` is deleted except on reset.
 */

export type { DevnetPorts } from "./topology";

/** One chain as the network's setup left it (see NetworkCreation). */
export interface CreatedChain {
  /** the head's number and hash */
  blockNumber: number;
  hash: string;
  /** the length of its journal, in bytes */
  journalBytes: number;
}

/**
 * What the setup of a network left, recorded once when it is created and kept across restarts:
 * the seed cache (devnet/seed/cache.ts) uses it to tell a pristine devnet, one nothing was written
 * to since, and its topology is part of the cache key.
 */
export interface NetworkCreation {
  topology: DevnetTopology;
  ethChain: CreatedChain;
  dataChain: CreatedChain;
}

/** What `network.json` holds. */
export interface SavedNetwork {
  version: 2;
  /** a random id given when the network was created: its snapshots restore onto it and no other (absent in older networks) */
  id?: string;
  /** the setup's end state (absent in networks created before it was recorded) */
  created?: NetworkCreation;
  entityManager: { address: string; block: number };
  eth: EthContracts;
  ports: DevnetPorts;
  contentNodes: DevnetState["contentNodes"];
  discoveryNodes: DevnetState["discoveryNodes"];
}

/** The chain history a devnet of the first format saved on a clean stop, instead of a journal. */
export interface LegacySavedChain {
  chainId: number;
  genesisDate: string;
  blocks: Array<{ number: number; timestamp: number; txs: string[] }>;
  latestHash: string;
}
interface LegacyNetwork extends Omit<SavedNetwork, "version" | "ports"> {
  version: 1;
  ethChain: LegacySavedChain;
  dataChain: LegacySavedChain;
  ports: { identity: number; discovery: number; contentNodes: number[] };
}

export interface PreparedStateDir {
  /** the saved network to resume, if any */
  saved?: SavedNetwork;
  /** a first-format network whose chains must be replayed into fresh journals */
  legacy?: { ethChain: LegacySavedChain; dataChain: LegacySavedChain };
}

export const networkFile = (dir: string) => path.join(dir, "network.json");
export const journalFile = (dir: string, chainId: number) => path.join(dir, "data", "chains", `${chainId}.journal`);
/** Present while a first setup runs: a dir holding it and no network.json never got past setup. */
const setupMarker = (dir: string) => path.join(dir, "data", "SETUP_IN_PROGRESS");

/**
 * Decide what a start resumes. Without `persist` every start is a fresh network. With it, the saved
 * network is resumed; a setup that never completed (killed before network.json) is started over, as
 * no client ever got its addresses; node data with no saved network is refused, not deleted.
 */
export function prepareStateDir(dir: string, options: { persist?: boolean; reset?: boolean; contentNodes: number; discoveryNodes: number }): PreparedStateDir {
  const file = networkFile(dir);
  const dataDir = path.join(dir, "data");
  if (!options.persist || options.reset) return startOver(dir);
  if (!fs.existsSync(file)) {
    const leftovers = fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : [];
    if (leftovers.length > 0 && !fs.existsSync(setupMarker(dir))) {
      throw new AsixError("CONFLICT", `${dataDir} holds node data but ${file} is missing, so its chains cannot be rebuilt; start over with --reset (reset: true)`);
    }
    return startOver(dir);
  }
  let network: SavedNetwork | LegacyNetwork;
  try {
    network = JSON.parse(fs.readFileSync(file, "utf8")) as SavedNetwork | LegacyNetwork;
  } catch (cause) {
    throw new AsixError("INVALID_INPUT", `cannot read ${file}: start over with --reset (reset: true)`, { cause });
  }
  if (network.ports.contentNodes.length !== options.contentNodes) {
    throw new AsixError("INVALID_INPUT", `the saved devnet in ${dir} has ${network.ports.contentNodes.length} content nodes; use --reset to start over with ${options.contentNodes}`);
  }
  if (network.discoveryNodes.length !== options.discoveryNodes) {
    throw new AsixError("INVALID_INPUT", `the saved devnet in ${dir} has ${network.discoveryNodes.length} discovery nodes; use --reset to start over with ${options.discoveryNodes}`);
  }
  if (network.version === 2) return { saved: network };
  // First format: its chains come from network.json, once; from then on from journals.
  const { ethChain, dataChain, ports, version: _version, ...rest } = network;
  fs.rmSync(path.join(dataDir, "chains"), { recursive: true, force: true });
  return { saved: { ...rest, version: 2, ports: { ethChain: 0, dataChain: 0, oauthProvider: 0, ...ports } }, legacy: { ethChain, dataChain } };
}

function startOver(dir: string): PreparedStateDir {
  fs.rmSync(path.join(dir, "data"), { recursive: true, force: true });
  fs.rmSync(networkFile(dir), { force: true });
  fs.mkdirSync(path.join(dir, "data"), { recursive: true });
  fs.writeFileSync(setupMarker(dir), "");
  return {};
}

/** Read `network.json` of a state dir; undefined when there is none or it cannot be read. */
export function readSavedNetwork(dir: string): SavedNetwork | undefined {
  try {
    return JSON.parse(fs.readFileSync(networkFile(dir), "utf8")) as SavedNetwork;
  } catch {
    return undefined;
  }
}

/** Save the network durably; the first save also ends the setup. */
export function saveNetwork(dir: string, network: SavedNetwork): void {
  writeJsonAtomic(networkFile(dir), network);
  fs.rmSync(setupMarker(dir), { force: true });
}

/** Write JSON through a temp file, an fsync and a rename, so a crash leaves the old file or the new one. */
export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, JSON.stringify(value, null, 2));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/**
 * Replay a first-format saved history into a fresh chain started with its genesis date. On a
 * journaled chain this also writes the journal.
 */
export async function replayLegacyChain(provider: EIP1193Provider, saved: LegacySavedChain): Promise<void> {
  await provider.request({ method: "evm_setAutomine", params: [false] });
  try {
    const blocks = saved.blocks;
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i];
      await provider.request({ method: "evm_setNextBlockTimestamp", params: [block.timestamp] });
      for (const raw of block.txs) await provider.request({ method: "eth_sendRawTransaction", params: [raw] });
      await provider.request({ method: "evm_mine", params: [] });
      // That format saved a run of empty blocks one by one and replayed it with one hardhat_mine.
      let j = i + 1;
      const interval = j < blocks.length ? blocks[j].timestamp - block.timestamp : 0;
      while (j < blocks.length && blocks[j].txs.length === 0 && blocks[j].timestamp - blocks[j - 1].timestamp === interval && interval > 0) j++;
      if (j - i - 1 >= 2) {
        await provider.request({ method: "hardhat_mine", params: [`0x${(j - i - 1).toString(16)}`, `0x${interval.toString(16)}`] });
        i = j - 1;
      }
    }
  } finally {
    await provider.request({ method: "evm_setAutomine", params: [true] });
  }
  const latest = (await provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { hash: string };
  if (latest.hash !== saved.latestHash) {
    throw new AsixError("INTERNAL", `replaying the saved chain ${saved.chainId} gave head ${latest.hash}, not the saved ${saved.latestHash}; start over with --reset`);
  }
}
