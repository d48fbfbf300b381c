import fs from "node:fs";
import { JsonRpcProvider, Transaction } from "ethers";
import type { EIP1193Provider } from "hardhat/types";

/**
 * The devnet's chains live in memory. To keep a devnet's data across `asix devnet down` / `up`,
 * each chain's history is saved on stop (every block's timestamp and raw signed transactions) and
 * replayed on start into a chain with the same genesis time, which rebuilds the same state and,
 * block for block, the same hashes — so the services' own data (blobs, indexes) stays valid.
 */

export interface SavedBlock {
  number: number;
  timestamp: number;
  /** raw signed transactions, in block order */
  txs: string[];
}

export interface SavedChain {
  chainId: number;
  genesisDate: string;
  blocks: SavedBlock[];
  latestHash: string;
}

/** Read a chain's whole history over JSON-RPC. */
export async function saveChain(url: string, chainId: number): Promise<SavedChain> {
  const provider = new JsonRpcProvider(url, chainId, { staticNetwork: true, batchMaxCount: 50 });
  try {
    const latest = await provider.getBlockNumber();
    const genesis = (await provider.getBlock(0))!;
    const blocks: SavedBlock[] = [];
    const numbers = Array.from({ length: latest }, (_, i) => i + 1);
    for (let i = 0; i < numbers.length; i += 50) {
      const batch = await Promise.all(numbers.slice(i, i + 50).map((n) => provider.getBlock(n, true)));
      for (const block of batch) {
        blocks.push({
          number: block!.number,
          timestamp: block!.timestamp,
          txs: block!.prefetchedTransactions.map((tx) => Transaction.from(tx).serialized),
        });
      }
    }
    const latestHash = latest === 0 ? genesis.hash! : (await provider.getBlock(latest))!.hash!;
    return { chainId, genesisDate: new Date(genesis.timestamp * 1000).toISOString(), blocks, latestHash };
  } finally {
    provider.destroy();
  }
}

/** Replay a saved history into a fresh chain started with `initialDate: saved.genesisDate`. Returns whether the last hash matches. */
export async function replayChain(provider: EIP1193Provider, saved: SavedChain): Promise<boolean> {
  await provider.request({ method: "evm_setAutomine", params: [false] });
  try {
    const blocks = saved.blocks;
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i];
      await provider.request({ method: "evm_setNextBlockTimestamp", params: [block.timestamp] });
      for (const raw of block.txs) await provider.request({ method: "eth_sendRawTransaction", params: [raw] });
      await provider.request({ method: "evm_mine", params: [] });
      // A run of empty blocks a constant interval apart (hardhat_mine walking a lockup) replays in one call.
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
  return latest.hash === saved.latestHash;
}

/** Write JSON through a temp file and a rename, so a crash never leaves half a file. */
export function writeJsonAtomic(file: string, value: unknown): void {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(value));
  fs.renameSync(`${file}.tmp`, file);
}
