import { decodeEntityManagerLog, MANAGE_ENTITY_TOPIC, MANAGE_IS_VERIFIED_TOPIC } from "../../../sdk/protocol/entityManager";
import { applyActions, recordOutcomes, type ChainAction } from "./actions";
import { readCheckpoint, type Db } from "./db";
import { JsonRpc, type RpcBlock, type RpcLog } from "./rpc";
import { blockWaiter, pollPacer, type NewBlocks } from "./blockSignal";

export interface IndexerConfig {
  db: Db;
  rpcUrl: string;
  entityManagerAddress: string;
  /** first block to index when the database is empty (the EntityManager deploy block) */
  startBlock?: number;
  /** poll interval when caught up; default 100 ms (5 s with `newBlocks`, which wakes it at each block) */
  pollIntervalMs?: number;
  /** the chain's new-block notifications, when it runs in this process */
  newBlocks?: NewBlocks;
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

/** Backfill aims at about this many events per eth_getLogs call and SQLite transaction. */
const TARGET_LOGS_PER_BATCH = 5000;
/** Blocks in the first eth_getLogs range; it doubles while batches stay small. */
const FIRST_SPAN = 8;
/** Ranges requested ahead of the one being written. */
const PIPELINE_DEPTH = 3;
const hex = (n: number) => "0x" + n.toString(16);

/**
 * Follows EntityManager on the data chain: eth_getLogs over block ranges (backfill), then a look at
 * each announced block (`newBlocks`), or a poll every `pollIntervalMs` that slows while the chain is quiet. Each batch — its actions, the block hashes and the new checkpoint — is
 * one database transaction, so indexing resumes exactly where the last commit left it.
 */
export async function startIndexer(config: IndexerConfig): Promise<Indexer> {
  const { db } = config;
  const rpc = new JsonRpc(config.rpcUrl);
  const address = config.entityManagerAddress.toLowerCase();
  const nextWait = pollPacer(config.pollIntervalMs ?? 100, config.newBlocks !== undefined);
  const blocks = blockWaiter(config.newBlocks);
  const confirmations = config.confirmations ?? 0;
  const maxBlocks = config.maxBlocksPerBatch ?? 2000;
  const log = config.log ?? (() => {});
  const initial = await readCheckpoint(db);
  const state = {
    latestChainBlock: 0,
    latestIndexedBlock: initial?.last_block ?? Math.max(0, (config.startBlock ?? 0) - 1),
    chainHealthy: false,
  };
  let stopped = false;
  let waiters: Array<{ target: number; resolve: () => void }> = [];

  // One transaction per batch: its blocks, its actions and the checkpoint commit together or not at all.
  const saveBatch = (actions: ChainAction[], blocks: RpcBlock[], to: RpcBlock) =>
    db.transaction(async (tx) => {
      for (const b of blocks) {
        await tx.run(
          "INSERT INTO blocks (number, hash, timestamp) VALUES (?, ?, ?) ON CONFLICT (number) DO UPDATE SET hash = excluded.hash, timestamp = excluded.timestamp",
          [Number(b.number), b.hash, Number(b.timestamp)],
        );
      }
      await recordOutcomes(tx, await applyActions(tx, actions));
      await tx.run(
        `INSERT INTO indexing_checkpoint (id, last_block, last_block_hash) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET last_block = excluded.last_block, last_block_hash = excluded.last_block_hash`,
        [Number(to.number), to.hash],
      );
    });

  // Start small and let nextSpan() grow it: a first range as wide as maxBlocks could carry the
  // whole history of a dense chain in one response, with nothing to overlap its fetch and apply.
  let span = Math.min(maxBlocks, FIRST_SPAN);

  interface FetchedRange {
    from: number;
    to: number;
    actions: ChainAction[];
    logBlocks: RpcBlock[];
    toBlock: RpcBlock;
    logCount: number;
  }

  /** The events of [from, to] with their block times, decoded and in chain order. */
  async function fetchRange(from: number, to: number): Promise<FetchedRange> {
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
    return { from, to, actions, logBlocks: blocks.filter((b) => withLogs.has(b.hash)), toBlock: byNumber.get(to)!, logCount: logs.length };
  }

  /** Keep batches near TARGET_LOGS_PER_BATCH: dense chains get short ranges, sparse ones long. */
  function nextSpan(logCount: number): void {
    if (logCount > TARGET_LOGS_PER_BATCH * 2) span = Math.max(1, Math.floor(span / 2));
    else if (logCount < TARGET_LOGS_PER_BATCH / 2) span = Math.min(maxBlocks, span * 2);
  }

  /**
   * Index up to `target`. Up to PIPELINE_DEPTH ranges are being fetched while the current one is
   * written, so the chain always has a request to work on; ranges are still committed in order.
   */
  async function indexUpTo(target: number): Promise<void> {
    let nextFrom = state.latestIndexedBlock + 1;
    const queue: Promise<FetchedRange>[] = [];
    const fill = () => {
      while (queue.length < PIPELINE_DEPTH && nextFrom <= target) {
        const from = nextFrom;
        const to = Math.min(target, from + span - 1);
        nextFrom = to + 1;
        const range = fetchRange(from, to);
        range.catch(() => {}); // awaited in order below; a failure there ends this pass and the poll loop retries
        queue.push(range);
      }
    };
    try {
      fill();
      while (queue.length && !stopped) {
        const range = await queue.shift()!;
        nextSpan(range.logCount);
        fill();
        // let the new requests reach the socket (and an in-process chain start on them) before the
        // write below, which on SQLite holds the event loop
        await new Promise((resolve) => setImmediate(resolve));
        await saveBatch(range.actions, range.logBlocks, range.toBlock);
        state.latestIndexedBlock = range.to;
        if (range.actions.length) log("indexed", { from: range.from, to: range.to, actions: range.actions.length });
      }
    } finally {
      await Promise.allSettled(queue);
    }
  }

  let verifiedChain = initial === undefined;

  async function poll(): Promise<void> {
    if (!verifiedChain) {
      // An index built from another chain (or another run of a devnet chain) must not be extended.
      const block = await rpc.call<RpcBlock | null>("eth_getBlockByNumber", [hex(initial!.last_block), false]);
      if (block?.hash?.toLowerCase() !== initial!.last_block_hash.toLowerCase()) {
        throw new Error(`the index's block ${initial!.last_block} (${initial!.last_block_hash}) is not on this chain; delete the index to rebuild it`);
      }
      verifiedChain = true;
    }
    const head = Number(await rpc.call<string>("eth_blockNumber", []));
    state.latestChainBlock = head;
    state.chainHealthy = true;
    const target = head - confirmations;
    if (state.latestIndexedBlock < target) await indexUpTo(target);
    waiters = waiters.filter((w) => (state.latestIndexedBlock >= w.target ? (w.resolve(), false) : true));
  }

  const loop = (async () => {
    while (!stopped) {
      const headBefore = state.latestChainBlock;
      try {
        await poll();
      } catch (e) {
        state.chainHealthy = false;
        log("indexer poll failed", { error: String((e as Error)?.message ?? e) });
      }
      if (!stopped) await blocks.wait(nextWait(state.latestChainBlock !== headBefore || !state.chainHealthy));
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
      blocks.close();
      await loop;
    },
  };
}

/** A log as a ChainAction; undefined for anything that is not one of EntityManager's two events. */
function decodeLog(l: RpcLog, timestamp: number): ChainAction | undefined {
  const event = decodeEntityManagerLog(l);
  if (!event) return undefined;
  const base = { blocknumber: Number(l.blockNumber), logIndex: Number(l.logIndex), txhash: l.transactionHash, timestamp };
  if (event.kind === "ManageIsVerified") {
    return { ...base, kind: "ManageIsVerified", userId: event.userId, signer: "", entityType: "User", entityId: 0n, action: "", metadata: "", isVerified: event.isVerified };
  }
  return { ...base, ...event };
}
