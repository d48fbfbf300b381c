import os from "node:os";
import { EventEmitter } from "node:events";
import type { EIP1193Provider, HardhatUserConfig } from "hardhat/types";
import { AsixError } from "../sdk/errors";
import { collectCoverageHits, COVERAGE_HITS_ENV } from "./coverageHits";
import { catchUpWithWallClock, closeJournal, createJournal, journalHead, readJournal, replayJournal, withJournal } from "./chainJournal";
import { createChainHistory, type ChainHistory } from "./snapshot/chainHistory";
import { loadGenesis, type ChainGenesis } from "./genesis";
import { devnetPrivateKey } from "./accounts";

export { DEVNET_MNEMONIC } from "./accounts";

export interface ChainOptions {
  /** EVM chain id. */
  chainId: number;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** How many funded accounts to derive from the mnemonic. */
  accounts?: number;
  /** ETH balance of each account, in wei. */
  balanceWei?: bigint;
  /** Genesis timestamp (ISO); set when replaying a saved chain so block hashes come out the same. */
  initialDate?: string;
  /**
   * "auto" (default): every transaction is mined in its own block as it arrives (Hardhat automine).
   * "batched": a transaction still returns once a block holds it, but transactions that arrive
   * while a block is being mined share the next one, so concurrent senders (the identity
   * service's relayers) are not limited to one block per transaction. A block is sealed
   * `batchWindowMs` after the first send that finds the chain idle, so sends arriving together
   * share it; a lone transaction is mined within that window. Reverted transactions are mined
   * with status 0 instead of failing the send, as on a real chain.
   */
  mining?: "auto" | "batched";
  /** "batched" mining: how long the first pending transaction waits for others to join its block; default 2 ms */
  batchWindowMs?: number;
  /**
   * Journal file: when set, the chain replays it on start (the genesis date comes from it) and
   * appends each mined block to it, fsync'd, before any client can see the block. See chainJournal.ts.
   */
  journal?: string;
  /**
   * State a fresh chain starts from (devnet/genesis.ts): loaded before the server listens, and
   * journaled, so a restart replays it. Ignored when the journal already holds a chain.
   */
  genesis?: ChainGenesis;
}

export interface Chain {
  chainId: number;
  /** JSON-RPC URL. */
  url: string;
  /** In-process EIP-1193 provider (no HTTP hop), for deployment and tests. */
  provider: EIP1193Provider;
  /**
   * Call `listener` after each request that may have mined a block (a send, evm_mine, hardhat_mine),
   * whoever made it; returns an unsubscribe. In-process followers (the discovery node's indexers)
   * wait on this instead of polling the chain's head.
   */
  onNewBlock(listener: () => void): () => void;
  /** Going back to an earlier state, for devnet snapshots (devnet/snapshot). */
  history: ChainHistory;
  close(): Promise<void>;
}

/**
 * Start one in-process Hardhat (EDR) chain with a JSON-RPC server on 127.0.0.1. It needs no
 * hardhat.config and no compiler, so it runs in any app that depends on `asix`. These are
 * Hardhat 2.29 internal paths; the version is pinned for that reason.
 */
export async function startChain(options: ChainOptions): Promise<Chain> {
  const { resolveConfig } = require("hardhat/internal/core/config/config-resolution");
  const { JsonRpcServer } = require("hardhat/internal/hardhat-network/jsonrpc/server");
  const journal = options.journal ? readJournal(options.journal) : undefined;
  if (journal && journal.header.chainId !== options.chainId) {
    throw new AsixError("INVALID_INPUT", `${options.journal} is the journal of chain ${journal.header.chainId}, not ${options.chainId}`);
  }
  const initialDate = journal?.header.genesisDate ?? options.initialDate;

  const userConfig: HardhatUserConfig = {
    networks: {
      hardhat: {
        chainId: options.chainId,
        hardfork: "cancun",
        // The mnemonic's accounts as keys: given the mnemonic, Hardhat derives them itself with
        // PBKDF2 in JavaScript, about 1.5 s of CPU per chain; devnetPrivateKey derives once per process.
        accounts: Array.from({ length: options.accounts ?? 20 }, (_, i) => ({ privateKey: devnetPrivateKey(i), balance: (options.balanceWei ?? 10n ** 24n).toString() })),
        mining: { auto: options.mining !== "batched", interval: 0 },
        loggingEnabled: false,
        allowBlocksWithSameTimestamp: true,
        ...(initialDate ? { initialDate } : {}),
      },
    },
  };
  // resolveConfig wants an existing config path only to anchor project paths; nothing is read from it.
  const config = resolveConfig(__filename, { ...userConfig, paths: { root: os.tmpdir() } });
  const edr = await createEdrProvider(config);
  // Before anything is mined or replayed: a snapshot whose own mark is gone is rebuilt from here.
  const genesisMark = (await edr.request({ method: "evm_snapshot", params: [] })) as string;
  let journaled = edr;
  if (options.journal) {
    // Replayed before the server listens, so no client sees a half-rebuilt chain.
    if (journal) {
      await replayJournal(edr, journal.records);
      await catchUpWithWallClock(edr);
      journaled = withJournal(edr, options.journal, journalHead(journal.records));
    } else {
      const records = options.genesis ? await loadGenesisNow(edr, options.genesis) : [];
      const genesis = (await edr.request({ method: "eth_getBlockByNumber", params: ["0x0", false] })) as { timestamp: string };
      createJournal(options.journal, { journal: 1, chainId: options.chainId, genesisDate: new Date(Number(genesis.timestamp) * 1000).toISOString() }, records);
      journaled = withJournal(edr, options.journal, journalHead(records));
    }
  } else if (options.genesis) {
    await loadGenesisNow(edr, options.genesis);
  }
  const blocks = new EventEmitter();
  blocks.setMaxListeners(0);
  const mined = options.mining === "batched" ? withBatchedMining(journaled, options.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS) : journaled;
  const provider = withBlockAnnouncements(mined, () => blocks.emit("block"));
  const server = new JsonRpcServer({ hostname: "127.0.0.1", port: options.port ?? 0, provider });
  let closing = false;
  answerWithPlainJson(server, provider, () => closing);
  let address: { address: string; port: number };
  try {
    // Hardhat's listen() never rejects: a busy port is an 'error' event of its HTTP server, which its
    // WebSocket server re-emits, uncaught (ending the process, or the chains' whole thread) unless
    // listened for here.
    const { _httpServer: httpServer, _wsServer: wsServer } = server as { _httpServer: EventEmitter; _wsServer: EventEmitter };
    let onError: (e: Error) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => {
      onError = reject;
      httpServer.on("error", onError);
      wsServer.on("error", onError);
    });
    try {
      address = await Promise.race([server.listen(), failed]);
    } finally {
      httpServer.off("error", onError);
      wsServer.off("error", onError);
    }
  } catch (cause) {
    closeJournal(journaled);
    if ((cause as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new AsixError("CONFLICT", `port ${options.port} is in use: cannot start chain ${options.chainId} there`, { cause });
    }
    throw new AsixError("NODE_UNAVAILABLE", `cannot start chain ${options.chainId} on port ${options.port}`, { cause });
  }
  return {
    chainId: options.chainId,
    url: `http://127.0.0.1:${address.port}`,
    provider,
    onNewBlock(listener) {
      blocks.on("block", listener);
      return () => void blocks.off("block", listener);
    },
    history: createChainHistory(edr, options.journal ? journaled : undefined, genesisMark),
    close: async () => {
      // http's close() ends the connections idle at that instant and waits for the rest; a client
      // polling on a keep-alive connection busy at that instant (an indexer, every 50 ms) would be
      // served on it for as long as it polls. From now on each answer ends its connection.
      closing = true;
      await server.close();
      closeJournal(journaled);
    },
  };
}

/**
 * Load the prepared genesis with its blocks made now: a fresh devnet's block 0 carries a fixed date
 * (FRESH_GENESIS_DATE), so that every fresh devnet shares it, and its clock starts from there.
 */
async function loadGenesisNow(edr: EIP1193Provider, genesis: ChainGenesis) {
  await catchUpWithWallClock(edr);
  return loadGenesis(edr, genesis);
}

let edrContextReady: Promise<unknown> | undefined;

/**
 * Hardhat registers its EDR provider factory on the first createProvider call, asynchronously, and a
 * second call made meanwhile fails with "Provider for provided chain type does not exist". So the
 * first creation in a process finishes before any other starts.
 */
async function createEdrProvider(config: unknown): Promise<EIP1193Provider> {
  const { createProvider } = require("hardhat/internal/core/providers/construction");
  const coverageHits = process.env[COVERAGE_HITS_ENV];
  if (coverageHits) collectCoverageHits(coverageHits);
  if (!edrContextReady) {
    const first: Promise<EIP1193Provider> = createProvider(config, "hardhat");
    edrContextReady = first.catch(() => undefined);
    return first;
  }
  await edrContextReady;
  return createProvider(config, "hardhat");
}

/**
 * Hardhat's JSON-RPC handler streams every response through json-stream-stringify, which costs
 * more than the EVM work for large answers (an eth_getLogs of 5,000 events spent most of its time
 * there). Same handler, same validation and error shapes; the response is one JSON.stringify.
 * Once `closing`, each answer closes its connection.
 */
function answerWithPlainJson(server: unknown, provider: EIP1193Provider, closing: () => boolean): void {
  const { JsonRpcHandler } = require("hardhat/internal/hardhat-network/jsonrpc/handler");
  class PlainJsonHandler extends JsonRpcHandler {
    constructor(p: EIP1193Provider) {
      super(p);
    }
    _sendResponse(res: import("node:http").ServerResponse, rpcResp: unknown): void {
      const body = JSON.stringify(rpcResp);
      const headers: Record<string, string | number> = { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) };
      if (closing()) headers.Connection = "close";
      res.writeHead(200, headers);
      res.end(body);
    }
  }
  const handler = new PlainJsonHandler(provider);
  const httpServer = (server as { _httpServer: import("node:http").Server })._httpServer;
  httpServer.removeAllListeners("request");
  httpServer.on("request", handler.handleHttp);
}

/** Requests after which the chain may have a new block. */
const BLOCK_MAKING = new Set(["eth_sendTransaction", "eth_sendRawTransaction", "evm_mine", "hardhat_mine", "evm_revert", "hardhat_reset"]);

/** Announce (once each, after it settles) every request that may have made a block. */
function withBlockAnnouncements(inner: EIP1193Provider, announce: () => void): EIP1193Provider {
  const request = async (args: { method: string; params?: unknown[] | object }): Promise<unknown> => {
    if (!BLOCK_MAKING.has(args.method)) return inner.request(args);
    try {
      return await inner.request(args);
    } finally {
      // a listener's failure is its own; the caller's answer must not depend on it
      queueMicrotask(() => {
        try {
          announce();
        } catch {
          /* ignored */
        }
      });
    }
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === "request") return request;
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * Each block costs the chain far more than each transaction in it (and, with a journal, an fsync),
 * so concurrent senders are better served by a short wait that fills the block than by a block each.
 */
const DEFAULT_BATCH_WINDOW_MS = 2;

/**
 * Mine on demand, coalescing: a send resolves once a block holding it is mined. The first send to
 * find the chain idle opens a block that is sealed `windowMs` later, and sends meanwhile join it;
 * sends that arrive while a block is being mined wait for the next one, which then holds all of
 * them. evm_setAutomine keeps working for callers that mine by hand (the workload generator, chain
 * replay).
 */
function withBatchedMining(inner: EIP1193Provider, windowMs: number): EIP1193Provider {
  let automine = true;
  let mining: Promise<unknown> | undefined;
  let queued: Promise<unknown> | undefined;
  let opened: Promise<unknown> | undefined;
  const mineNow = (): Promise<unknown> => {
    const block = inner.request({ method: "evm_mine", params: [] }).finally(() => {
      if (mining === block) mining = undefined;
    });
    mining = block;
    return block;
  };
  /** Resolves after a block mined from now on: the current one may already be sealed without us. */
  const mineSoon = (): Promise<unknown> => {
    if (opened) return opened;
    if (!mining) {
      if (windowMs <= 0) return mineNow();
      opened = new Promise((resolve) => setTimeout(resolve, windowMs)).then(() => {
        opened = undefined;
        return mining ? mineSoon() : mineNow();
      });
      return opened;
    }
    if (!queued) {
      queued = mining.then(
        () => {
          queued = undefined;
          return mineNow();
        },
        () => {
          queued = undefined;
          return mineNow();
        },
      );
    }
    return queued;
  };
  const request = async (args: { method: string; params?: unknown[] | object }): Promise<unknown> => {
    switch (args.method) {
      case "evm_setAutomine":
        automine = Boolean((args.params as unknown[] | undefined)?.[0]);
        return true;
      case "hardhat_getAutomine":
        return automine;
      case "eth_sendTransaction":
      case "eth_sendRawTransaction": {
        const hash = await inner.request(args);
        if (automine) await mineSoon();
        return hash;
      }
      default:
        return inner.request(args);
    }
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === "request") return request;
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
