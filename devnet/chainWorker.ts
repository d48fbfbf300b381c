import { parentPort } from "node:worker_threads";
import { startChain, type Chain } from "./chain";
import type { ChainMark } from "./snapshot/chainHistory";
import type { ReadJournal } from "./chainJournal";
import { toWire, type ChainCall, type ChainReply } from "./chainWire";

/**
 * The chains' thread (see chainThread.ts): chains start here, each with its JSON-RPC server, and
 * answer the calls of the thread that started them. Calls arrive and answers leave in batches,
 * one message per turn of each event loop.
 */
const port = parentPort!;
const chains = new Map<number, Chain>();
let nextChain = 0;
let outbox: ChainReply[] = [];

function reply(message: ChainReply): void {
  if (outbox.length === 0) setImmediate(flush);
  outbox.push(message);
}

function flush(): void {
  const batch = outbox;
  outbox = [];
  port.postMessage(batch);
}

function chainOf(id: number): Chain {
  const chain = chains.get(id);
  if (!chain) throw new Error(`chain ${id} is closed`);
  return chain;
}

async function answer(call: ChainCall): Promise<unknown> {
  switch (call.kind) {
    case "start": {
      const chain = await startChain(call.options);
      const id = nextChain++;
      chains.set(id, chain);
      chain.onNewBlock(() => reply({ block: id }));
      return { chain: id, url: chain.url, chainId: chain.chainId };
    }
    case "request":
      return chainOf(call.chain).provider.request({ method: call.method, params: call.params });
    case "mark":
      return chainOf(call.chain).history.mark();
    case "genesis":
      return chainOf(call.chain).history.genesis();
    case "rewind":
      return chainOf(call.chain).history.rewind(call.mark as ChainMark | undefined, call.journal as ReadJournal | undefined);
    case "close": {
      const chain = chains.get(call.chain);
      chains.delete(call.chain);
      await chain?.close();
      return null;
    }
  }
}

port.on("message", (calls: ChainCall[]) => {
  for (const call of calls) {
    answer(call).then(
      (result) => reply({ id: call.id, result }),
      (error: unknown) => reply({ id: call.id, error: toWire(error) }),
    );
  }
});
