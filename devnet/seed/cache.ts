import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AsixError } from "../../sdk/errors";
import { fsyncDir, readJournal } from "../chainJournal";
import { controlRequest } from "../control/client";
import { countBlobs } from "../control/status";
import { FIXTURE_RENDER_VERSION } from "../fixtures/audio";
import type { Devnet } from "../options";
import { journalFile, readSavedNetwork, type CreatedChain, type NetworkCreation } from "../persistence";
import { holdsUserRecords } from "../services/identity-service/db";
import type { RestoreOptions, SnapshotInfo } from "../snapshot";
import { snapshotDir } from "../snapshot/files";
import type { DevnetState } from "../state";
import type { SeedPlan } from "./plan";
import type { SeedResult } from "./result";

/**
 * The seed cache: a seeded devnet is a pure function of the seed plan, the devnet's topology and
 * addresses (its URLs are registered on chain; its accounts are the fixed Hardhat test keys) and the
 * code, so the first seed of a pristine devnet is kept as a snapshot (both chains' journals, every
 * node's data, the seed's result) in a machine-wide folder, under a hash of all of that; a later
 * seed of a pristine devnet with the same key restores it instead (devnet/snapshot, across networks:
 * every fresh devnet has the same block 0, chains.ts FRESH_GENESIS_DATE).
 */

/** Bump when a change makes a seeded devnet differ while nothing else in the key does (ids, CIDs, index). */
export const SEED_CACHE_VERSION = 1;

/**
 * Where seeded devnets are kept by default: `ASIX_SEED_CACHE_DIR` when set, else beside the seed's
 * audio cache in the OS temp dir, shared by every devnet on this machine.
 */
export const defaultSeedCacheDir = () => process.env.ASIX_SEED_CACHE_DIR || path.join(os.tmpdir(), `asix-seed-cache-v${SEED_CACHE_VERSION}`);

const RESULT_FILE = "seed-result.json";
/**
 * Entries kept; the least recently used beyond these are removed after a save. The default catalog's
 * entry is about 220 MB (mostly the uploaded WAVs, on two content nodes each).
 */
export const SEED_CACHE_ENTRIES = 4;
const ENTRY_NAME = /^[0-9a-f]{40}$/;

/** One seed value's cache entry for one devnet: restore it, or keep a fresh seed in it. */
export interface SeedCacheEntry {
  /** the hash it is kept under */
  key: string;
  /** The cached seed's result, once its snapshot is restored on the devnet; undefined when there is none (or a bad one, now removed). */
  restore(): Promise<SeedResult | undefined>;
  /** Keep the devnet as it is now (just seeded with `result`) under the key. */
  save(result: SeedResult): Promise<void>;
}

/**
 * The cache entry of `plan` on `devnet`, when the devnet is pristine and can save and restore
 * snapshots (a persistent devnet, in this process or with a control API); else undefined, and the
 * seed runs for real (`why` says why not).
 */
export async function seedCacheEntry(devnet: DevnetState, plan: SeedPlan, cacheDir: string, why: (reason: string) => void): Promise<SeedCacheEntry | undefined> {
  const snapshots = snapshotsOf(devnet);
  if (!snapshots) return void why("the devnet keeps no snapshots (start it with persist, or through asix devnet up)");
  const created = readSavedNetwork(devnet.dir)?.created;
  if (!created) return void why("the devnet keeps no record of its creation (it was created by an older version, or without persist)");
  const changed = await sinceCreation(devnet, created);
  if (changed) return void why(`the devnet is not pristine: ${changed}`);
  const key = seedCacheKey(devnet, created, plan);
  const entry = path.join(cacheDir, key);
  const tempName = () => `seed-cache-${key.slice(0, 12)}-${process.pid}-${randomBytes(4).toString("hex")}`;

  return {
    key,
    async restore() {
      const stored = readEntry(entry, key);
      if (stored === "absent") return undefined;
      if (stored === "bad") return void discard(entry, why, "was incomplete or damaged");
      // A safety net: a restore that fails halfway leaves the chains and the nodes' data apart; this
      // pristine snapshot brings them back, and the seed runs for real.
      const pristine = tempName();
      const name = tempName();
      try {
        await snapshots.save(pristine);
        try {
          copyTree(entry, snapshotDir(devnet.dir, name), RESULT_FILE);
          await snapshots.restore(name, { acrossNetworks: true });
          touch(entry);
          return stored.result;
        } catch (e) {
          discard(entry, why, `could not be restored (${(e as Error).message})`);
          // across networks: the failed replay may have left the chains at another network's blocks
          await snapshots.restore(pristine, { acrossNetworks: true });
          return undefined;
        }
      } finally {
        for (const n of [pristine, name]) fs.rmSync(snapshotDir(devnet.dir, n), { recursive: true, force: true });
      }
    },
    async save(result) {
      const name = tempName();
      const building = path.join(cacheDir, `${key}.${process.pid}.${randomBytes(4).toString("hex")}.partial`);
      try {
        await snapshots.save(name);
        copyTree(snapshotDir(devnet.dir, name), building);
        writeFileDurably(path.join(building, RESULT_FILE), JSON.stringify({ key, result }));
        // Renamed in whole, so a concurrent seed sees no entry or a complete one; a bad entry in the
        // way is moved aside first (a reader of it then fails its restore, and seeds for real).
        if (readEntry(entry, key) === "bad") discard(entry, why, "was incomplete or damaged");
        try {
          fs.renameSync(building, entry);
          fsyncDir(cacheDir);
        } catch (e) {
          // another seed of the same key got there first: its entry is as good as ours
          if (!["ENOTEMPTY", "EEXIST"].includes((e as NodeJS.ErrnoException).code ?? "")) throw e;
        }
        evictBeyond(cacheDir, SEED_CACHE_ENTRIES, why);
      } finally {
        fs.rmSync(snapshotDir(devnet.dir, name), { recursive: true, force: true });
        fs.rmSync(building, { recursive: true, force: true });
      }
    },
  };
}

/**
 * What a seeded devnet depends on, hashed: the code's versions and files, the chains' prepared genesis, the
 * topology, every URL, chain id and contract address, the registered nodes, and the whole seed plan
 * (its seed value and counts, and every name, key, length and tone planned from them).
 */
export function seedCacheKey(devnet: DevnetState, created: NetworkCreation, plan: SeedPlan): string {
  const inputs = {
    cache: SEED_CACHE_VERSION,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    packageVersion: (require("../package.json") as { version: string }).version,
    code: codeFingerprint(),
    audio: FIXTURE_RENDER_VERSION,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    genesis: createHash("sha256").update(JSON.stringify(require("../genesis.json"))).digest("hex"),
    topology: created.topology,
    ethChain: devnet.ethChain,
    dataChain: devnet.dataChain,
    services: devnet.services,
    contentNodes: devnet.contentNodes,
    discoveryNodes: devnet.discoveryNodes,
    accounts: devnet.accounts.map((a) => [a.index, a.role, a.address]),
    tls: Boolean(devnet.caFile),
    plan,
  };
  return createHash("sha256").update(JSON.stringify(inputs)).digest("hex").slice(0, 40);
}

/**
 * The devnet's and the SDK's files as they are on disk (path, size, modification time): this
 * repository's version stays 0.1.0 while its code changes, and a change to the content pipeline
 * changes every CID. An installed package's files do not change, so its cache entries live on; a
 * build here or an edit of a source starts new ones. About 600 stat calls.
 */
function codeFingerprint(): string {
  const hash = createHash("sha256");
  const packageRoot = (from: string) => {
    for (let d = from; path.dirname(d) !== d; d = path.dirname(d)) if (fs.existsSync(path.join(d, "package.json"))) return d;
    return from;
  };
  const devnetRoot = packageRoot(__dirname);
  let sdkRoot: string | undefined;
  try {
    sdkRoot = path.dirname(require.resolve("@asix/sdk/package.json", { paths: [devnetRoot] }));
  } catch {
    sdkRoot = undefined; // bundled into the devnet's own files
  }
  const walk = (root: string, dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(root, p);
      else if (e.isFile()) {
        const st = fs.statSync(p);
        hash.update(`${path.relative(root, p)}\0${st.size}\0${st.mtimeMs}\0`);
      }
    }
  };
  for (const root of [devnetRoot, sdkRoot]) if (root) walk(root, root);
  return hash.digest("hex");
}

/**
 * What changed on the devnet since its setup, or undefined for none. Every change to a chain, a
 * block or a state call (hardhat_setBalance, …), is appended to its journal before any client can
 * see it, and a journal only grows (a snapshot restore rewrites it, to that snapshot's): so both
 * journals at their creation length, with both heads at their creation blocks, are the chains as
 * created, and the indexes follow the data chain only. What a user can write without a block: an
 * upload (a blob on a content node) and the identity service's records (a wallet, an email, a
 * refused action), checked here too.
 */
async function sinceCreation(devnet: DevnetState, created: NetworkCreation): Promise<string | undefined> {
  for (const [name, chain, url] of [
    ["eth chain", created.ethChain, devnet.ethChain] as const,
    ["data chain", created.dataChain, devnet.dataChain] as const,
  ]) {
    const now = await chainNow(devnet.dir, url.chainId, url.url);
    if (!now) return `the ${name} does not answer`;
    if (now.blockNumber !== chain.blockNumber || now.hash !== chain.hash || now.journalBytes !== chain.journalBytes) {
      return `the ${name} moved since it was created (block ${chain.blockNumber} → ${now.blockNumber})`;
    }
  }
  for (let i = 1; i <= created.topology.contentNodes; i++) {
    if (countBlobs(path.join(devnet.dir, "data", `content-node-${i}`)) > 0) return `content node ${i} holds blobs`;
  }
  if (holdsUserRecords(path.join(devnet.dir, "data", "identity-service"))) return "the identity service holds records";
  return undefined;
}

async function chainNow(dir: string, chainId: number, url: string): Promise<CreatedChain | undefined> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: ["latest", false] }),
      signal: AbortSignal.timeout(10_000),
    });
    const head = ((await res.json()) as { result: { number: string; hash: string } }).result;
    return { blockNumber: Number(head.number), hash: head.hash, journalBytes: fs.statSync(journalFile(dir, chainId)).size };
  } catch {
    return undefined;
  }
}

interface Snapshots {
  save(name: string): Promise<SnapshotInfo>;
  restore(name: string, options?: RestoreOptions): Promise<SnapshotInfo>;
}

/** The devnet's snapshots: its own when it runs in this process, else through its control API. */
function snapshotsOf(devnet: DevnetState): Snapshots | undefined {
  const own = (devnet as Partial<Devnet>).snapshots;
  if (own) return isPersistent(devnet) ? own : undefined;
  if (!devnet.control) return undefined;
  const call = async (name: string, action: string, body?: unknown) => (await controlRequest<{ data: SnapshotInfo }>(devnet, "POST", `/snapshots/${name}/${action}`, body)).data;
  return { save: (name) => call(name, "save"), restore: (name, options) => call(name, "restore", options ?? {}) };
}

/** Only a persistent devnet writes network.json, and keeps the chain journals a snapshot carries. */
function isPersistent(devnet: DevnetState): boolean {
  return fs.existsSync(journalFile(devnet.dir, devnet.dataChain.chainId));
}

/** A cache entry's result, "absent", or "bad" (anything short of a complete entry of this key). */
function readEntry(entry: string, key: string): { result: SeedResult } | "absent" | "bad" {
  if (!fs.existsSync(entry)) return "absent";
  try {
    const stored = JSON.parse(fs.readFileSync(path.join(entry, RESULT_FILE), "utf8")) as { key?: string; result?: SeedResult };
    const info = JSON.parse(fs.readFileSync(path.join(entry, "snapshot.json"), "utf8")) as SnapshotInfo;
    if (stored.key !== key || !stored.result || !info.persistent) return "bad";
    // each journal whole, and leading to the head the snapshot names
    for (const chain of [info.ethChain, info.dataChain]) {
      const journal = readJournalReadOnly(path.join(entry, "data", "chains", `${chain.chainId}.journal`));
      const last = journal?.records.filter((r) => "h" in r).pop() as { h: string } | undefined;
      if (!last || last.h !== chain.hash) return "bad";
    }
    return { result: stored.result };
  } catch {
    return "bad";
  }
}

/** readJournal truncates a torn last line in place; an entry is never written to, so a torn line is damage. */
function readJournalReadOnly(file: string) {
  const text = fs.readFileSync(file, "utf8");
  if (!text.endsWith("\n")) throw new AsixError("INVALID_INPUT", `${file} ends in a torn line`);
  return readJournal(file);
}

/** Mark an entry used now (its folder's modification time orders the eviction). */
function touch(entry: string): void {
  const now = new Date();
  try {
    fs.utimesSync(entry, now, now);
  } catch {
    // removed meanwhile: nothing to mark
  }
}

/** Remove the least recently used entries beyond `keep` (a reader of one fails its restore and seeds for real). */
function evictBeyond(cacheDir: string, keep: number, why: (reason: string) => void): void {
  const entries = fs
    .readdirSync(cacheDir)
    .filter((name) => ENTRY_NAME.test(name))
    .map((name) => ({ name, used: fs.statSync(path.join(cacheDir, name)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const old of entries.slice(keep)) {
    why(`removed the least recently used seed cache entry ${old.name.slice(0, 12)} (${keep} are kept)`);
    removeEntry(path.join(cacheDir, old.name));
  }
}

/** Move a bad entry aside (one rename, so no reader sees half of it) and remove it. */
function discard(entry: string, why: (reason: string) => void, reason: string): undefined {
  why(`the cached seed ${path.basename(entry)} ${reason}; seeding for real`);
  removeEntry(entry);
  return undefined;
}

function removeEntry(entry: string): void {
  const aside = `${entry}.${process.pid}.${randomBytes(4).toString("hex")}.discarded`;
  try {
    fs.renameSync(entry, aside);
  } catch {
    return; // gone already: another seed moved it
  }
  fs.rmSync(aside, { recursive: true, force: true });
}

/**
 * Copy a tree, hard-linking every file where it can (a snapshot's files are never written in place:
 * each save writes new ones, and a restore copies them out), else copying (another file system).
 */
function copyTree(from: string, to: string, skip?: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.name === skip) continue;
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isDirectory()) copyTree(src, dst);
    else if (e.isFile()) {
      try {
        fs.linkSync(src, dst);
      } catch {
        fs.copyFileSync(src, dst);
      }
    }
  }
}

function writeFileDurably(file: string, text: string): void {
  const fd = fs.openSync(file, "w");
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
