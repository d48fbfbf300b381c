import fs from "node:fs";
import path from "node:path";
import { EventEmitter } from "node:events";
import { Worker } from "node:worker_threads";
import type { EIP1193Provider } from "hardhat/types";
import type { Chain, ChainOptions } from "./chain";
import { AsixError } from "../sdk/errors";
import { fromWire, type ChainCallBody, type ChainReply } from "./chainWire";

/**
 * Chains started in a worker thread (chainWorker.ts), with the same `Chain` interface as
 * startChain's: each chain's JSON-RPC server listens from that thread, and `provider`, `history`,
 * `onNewBlock` and `close` pass messages to it. The chains' EVM and JSON-RPC work (about 3 ms of CPU
 * per relayed action) then runs beside the services' thread instead of on it. Calls leave in
 * batches, one message per turn of the event loop.
 *
 * The devnet does not use it yet (devnet/chains.ts): in the relay bench it gained 1.06x and 1.27x
 * (paired medians, at load 9-14 on 2 cores) with the same CPU per action, while a devnet's start
 * cost 0.7-1.4 s more CPU and 70-100 MB more memory (the thread loads Hardhat and EDR again).
 *
 * One thread per process for all such chains: EDR allows one context per process and complains on
 * stderr at each further one, so the thread is kept (unref'd, holding no chain) for the next devnet
 * of the process rather than started again.
 */
export async function startChainInWorker(options: ChainOptions): Promise<Chain> {
  const thread = chainThread();
  const started = (await thread.call({ kind: "start", options })) as { chain: number; url: string; chainId: number };
  const chain = started.chain;
  const blocks = new EventEmitter();
  blocks.setMaxListeners(0);
  thread.blocks.set(chain, blocks);
  const provider = Object.assign(new EventEmitter(), {
    request: (args: { method: string; params?: unknown[] | object }) => thread.call({ kind: "request", chain, method: args.method, params: args.params }),
  }) as EIP1193Provider;
  let closing: Promise<void> | undefined;
  return {
    chainId: started.chainId,
    url: started.url,
    provider,
    onNewBlock(listener) {
      blocks.on("block", listener);
      return () => void blocks.off("block", listener);
    },
    history: {
      mark: () => thread.call({ kind: "mark", chain }) as ReturnType<Chain["history"]["mark"]>,
      genesis: () => thread.call({ kind: "genesis", chain }) as Promise<string>,
      rewind: (mark, journal) => thread.call({ kind: "rewind", chain, mark, journal }) as ReturnType<Chain["history"]["rewind"]>,
    },
    close: () =>
      (closing ??= (async () => {
        try {
          await thread.call({ kind: "close", chain });
        } finally {
          thread.blocks.delete(chain);
          thread.released();
        }
      })()),
  };
}

interface ChainThread {
  call(message: ChainCallBody): Promise<unknown>;
  /** each open chain's block announcements */
  blocks: Map<number, EventEmitter>;
  /** a chain of this thread has closed */
  released(): void;
}

let current: ChainThread | undefined;

function chainThread(): ChainThread {
  current ??= startThread();
  return current;
}

function startThread(): ChainThread {
  const worker = startWorker();
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  const blocks = new Map<number, EventEmitter>();
  let open = 0;
  let nextId = 0;
  let outbox: (ChainCallBody & { id: number })[] = [];
  let gone: Error | undefined;

  worker.on("message", (replies: ChainReply[]) => {
    for (const reply of replies) {
      if ("block" in reply) {
        blocks.get(reply.block)?.emit("block");
        continue;
      }
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if ("error" in reply) waiting?.reject(fromWire(reply.error));
      else waiting?.resolve(reply.result);
    }
  });
  const fail = (error: Error) => {
    gone ??= error;
    if (current === thread) current = undefined; // the next chain gets a new thread
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  worker.on("error", (cause) => fail(new AsixError("NODE_UNAVAILABLE", `the chains' thread failed: ${cause.message}`, { cause })));
  worker.on("exit", () => fail(new AsixError("NODE_UNAVAILABLE", "the chains' thread has stopped")));

  const flush = () => {
    const batch = outbox;
    outbox = [];
    if (!gone) worker.postMessage(batch);
  };
  const thread: ChainThread = {
    blocks,
    call(message) {
      if (gone) return Promise.reject(gone);
      if (message.kind === "start" && open++ === 0) worker.ref();
      const id = nextId++;
      // once per turn of the event loop rather than per microtask: under load a turn holds the calls
      // of many requests, and each message costs the main thread a postMessage
      if (outbox.length === 0) setImmediate(flush);
      outbox.push({ ...message, id });
      const answer = new Promise<unknown>((resolve, reject) => pending.set(id, { resolve, reject }));
      // a chain that failed to start holds nothing open
      if (message.kind === "start") answer.catch(() => thread.released());
      return answer;
    },
    released() {
      if (--open === 0) worker.unref();
    },
  };
  return thread;
}

/**
 * The worker runs the built chainWorker.js beside this module in the package; from the sources
 * (tests, benches under tsx), chainWorker.ts through tsx's require hook, since a worker's ESM
 * loader knows nothing of the .ts files the parent's loader compiles.
 */
function startWorker(): Worker {
  const built = path.join(__dirname, "chainWorker.js");
  if (fs.existsSync(built)) return new Worker(built);
  const source = `require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(path.join(__dirname, "chainWorker.ts"))});`;
  return new Worker(source, { eval: true });
}
