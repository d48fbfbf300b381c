import { AbiCoder, getBytes } from "ethers";
import { entityManagerInterface } from "../../../sdk/eip712";
import { applyAction, type ChainAction } from "./actions";
import { readCheckpoint, type Db } from "./db";
import { JsonRpc, type RpcBlock, type RpcLog } from "./rpc";

export interface IndexerConfig {
  db: Db;
  rpcUrl: string;
  entityManagerAddress: string;
  /** first block to index when the database is empty (the EntityManager deploy block) */
  startBlock?: number;
  /** poll interval when caught up; default 100 ms */
  pollIntervalMs?: number;
  /** blocks to stay behind the head (real chains); default 0 */
  confirmations?: number;
  /** most blocks per eth_getLogs batch; default 2,000 */
  maxBlocksPerBatch?: number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface Indexer {
  /** the chain head as last seen (0 before the first poll) */
  readonly latestChainBlock: number;
  readonly latestIndexedBlock: number;
  /** whether the last poll reached the chain */
  readonly chainHealthy: boolean;
  /** resolves once everything up to the current head is indexed */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

const MANAGE_ENTITY_TOPIC = entityManagerInterface.getEvent("ManageEntity")!.topicHash;
const MANAGE_IS_VERIFIED_TOPIC = entityManagerInterface.getEvent("ManageIsVerified")!.topicHash;
const hex = (n: number) => "0x" + n.toString(16);

/**
 * Follows EntityManager on the data chain: eth_getLogs over block ranges (backfill), then a poll
 * every `pollIntervalMs`. Each batch — its actions, the block hashes and the new checkpoint — is
 * one SQLite transaction, so indexing resumes exactly where the last commit left it.
 */
export function startIndexer(config: IndexerConfig): Indexer {
  const { db } = config;
  const rpc = new JsonRpc(config.rpcUrl);
  const address = config.entityManagerAddress.toLowerCase();
  const pollMs = config.pollIntervalMs ?? 100;
  const confirmations = config.confirmations ?? 0;
  const maxBlocks = config.maxBlocksPerBatch ?? 2000;
  const log = config.log ?? (() => {});
  const initial = readCheckpoint(db);
  const state = {
    latestChainBlock: 0,
    latestIndexedBlock: initial?.last_block ?? Math.max(0, (config.startBlock ?? 0) - 1),
    chainHealthy: false,
  };
  let stopped = false;
  let waiters: Array<{ target: number; resolve: () => void }> = [];

  const saveBatch = db.transaction((actions: ChainAction[], blocks: RpcBlock[], to: RpcBlock) => {
    const insertBlock = db.prepare("INSERT OR REPLACE INTO blocks (number, hash, timestamp) VALUES (?, ?, ?)");
    for (const b of blocks) insertBlock.run(Number(b.number), b.hash, Number(b.timestamp));
    for (const a of actions) applyAction(db, a);
    db.prepare(
      `INSERT INTO indexing_checkpoint (id, last_block, last_block_hash) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET last_block = excluded.last_block, last_block_hash = excluded.last_block_hash`,
    ).run(Number(to.number), to.hash);
  });

  async function indexRange(from: number, to: number): Promise<void> {
    const logs = await rpc.call<RpcLog[]>("eth_getLogs", [
      { address, fromBlock: hex(from), toBlock: hex(to), topics: [[MANAGE_ENTITY_TOPIC, MANAGE_IS_VERIFIED_TOPIC]] },
    ]);
    const numbers = [...new Set(logs.map((l) => Number(l.blockNumber)))];
    if (!numbers.includes(to)) numbers.push(to);
    const blocks = await rpc.batch<RpcBlock>(numbers.map((n) => ({ method: "eth_getBlockByNumber", params: [hex(n), false] })));
    const byNumber = new Map(blocks.map((b) => [Number(b.number), b]));
    const actions = logs
      .map((l) => decodeLog(l, Number(byNumber.get(Number(l.blockNumber))!.timestamp)))
      .filter((a): a is ChainAction => a !== undefined)
      .sort((a, b) => a.blocknumber - b.blocknumber || a.logIndex - b.logIndex);
    // Only blocks with events are stored (the checkpoint keeps the last one's hash), so the index
    // does not depend on where batches happened to end.
    const withLogs = new Set(logs.map((l) => l.blockHash));
    const logBlocks = blocks.filter((b) => withLogs.has(b.hash));
    saveBatch(actions, logBlocks, byNumber.get(to)!);
    state.latestIndexedBlock = to;
    if (actions.length) log("indexed", { from, to, actions: actions.length });
  }

  async function poll(): Promise<void> {
    const head = Number(await rpc.call<string>("eth_blockNumber", []));
    state.latestChainBlock = head;
    state.chainHealthy = true;
    const target = head - confirmations;
    while (!stopped && state.latestIndexedBlock < target) {
      const from = state.latestIndexedBlock + 1;
      await indexRange(from, Math.min(target, from + maxBlocks - 1));
    }
    waiters = waiters.filter((w) => (state.latestIndexedBlock >= w.target ? (w.resolve(), false) : true));
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        await poll();
      } catch (e) {
        state.chainHealthy = false;
        log("indexer poll failed", { error: String((e as Error)?.message ?? e) });
      }
      if (!stopped) await new Promise((r) => setTimeout(r, pollMs));
    }
  })();

  return {
    get latestChainBlock() {
      return state.latestChainBlock;
    },
    get latestIndexedBlock() {
      return state.latestIndexedBlock;
    },
    get chainHealthy() {
      return state.chainHealthy;
    },
    async caughtUp() {
      const head = Number(await rpc.call<string>("eth_blockNumber", [])) - confirmations;
      if (state.latestIndexedBlock >= head) return;
      await new Promise<void>((resolve) => waiters.push({ target: head, resolve }));
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

const abi = AbiCoder.defaultAbiCoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lenientUtf8 = new TextDecoder("utf-8");

/** Event strings are arbitrary bytes on chain: decode them as bytes, flag invalid UTF-8 instead of throwing. */
function utf8(bytes: string, flags: { invalid: boolean }): string {
  const raw = getBytes(bytes);
  try {
    return strictUtf8.decode(raw);
  } catch {
    flags.invalid = true;
    return lenientUtf8.decode(raw);
  }
}

/** A log as a ChainAction; undefined for anything that is not one of our two events. */
function decodeLog(l: RpcLog, timestamp: number): ChainAction | undefined {
  const base = { blocknumber: Number(l.blockNumber), logIndex: Number(l.logIndex), txhash: l.transactionHash, timestamp };
  if (l.topics[0] === MANAGE_IS_VERIFIED_TOPIC) {
    const [userId, isVerified] = abi.decode(["uint256", "bool"], l.data);
    return { ...base, kind: "ManageIsVerified", userId, signer: "", entityType: "User", entityId: 0n, action: "", metadata: "", isVerified };
  }
  if (l.topics[0] !== MANAGE_ENTITY_TOPIC) return undefined;
  // Same layout as the event's (uint256,address,string,uint256,string,string), read as bytes.
  const [userId, signer, entityType, entityId, metadata, action] = abi.decode(["uint256", "address", "bytes", "uint256", "bytes", "bytes"], l.data);
  const flags = { invalid: false };
  return {
    ...base,
    kind: "ManageEntity",
    userId,
    signer: String(signer).toLowerCase(),
    entityType: utf8(entityType, flags),
    entityId,
    action: utf8(action, flags),
    metadata: utf8(metadata, flags),
    invalidUtf8: flags.invalid,
  };
}
