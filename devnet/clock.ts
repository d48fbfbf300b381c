import type { EIP1193Provider } from "hardhat/types";
import { AsixError } from "../sdk/errors";

/**
 * Seconds per eth-chain block: PROTOCOL.md's lockups of 46,523 blocks are its 7 days. Advancing
 * the clock mines blocks at this pace, so anything counted in blocks (lockups, funding rounds,
 * voting periods) moves as it would on mainnet over the same time.
 */
export const ETH_SECONDS_PER_BLOCK = 13;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** "30s", "15m", "2h", "7d", "1w" or a plain number of seconds, to seconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+)\s*([smhdw]?)\s*$/.exec(text);
  const seconds = match ? Number(match[1]) * UNITS[match[2] || "s"] : NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new AsixError("INVALID_INPUT", `${JSON.stringify(text)} is not a duration: use a whole number with s, m, h, d or w (30s, 15m, 2h, 7d)`);
  }
  return seconds;
}

/** What one `time.advance` did. */
export interface ClockAdvance {
  /** how far the clock moved */
  seconds: number;
  /** both chains' head timestamp now (unix seconds) */
  timestamp: number;
  /** the eth chain's head after the move, and how many blocks it mined */
  ethChain: ClockChainMove;
  /** the data chain's head after the move, and how many blocks it mined */
  dataChain: ClockChainMove;
}

/** Where one chain's head is after a clock move. */
export interface ClockChainMove {
  /** the head's block number */
  blockNumber: number;
  /** blocks mined by the move */
  mined: number;
}

/** The devnet's one clock: `devnet.time`. */
export interface DevnetClock {
  /**
   * Move both chains' time forward by `seconds`, together: the eth chain mines a block per 13 s
   * (past lockups, rounds and proposal deadlines), the data chain one block at the new time; both
   * heads end at the same timestamp. Resolves once the discovery nodes have indexed the new heads.
   */
  advance(seconds: number): Promise<ClockAdvance>;
}

export interface ClockChains {
  ethChain: EIP1193Provider;
  dataChain: EIP1193Provider;
  /** resolves once every indexer has caught up with the chain heads */
  waitIndexed(): Promise<void>;
}

export function createDevnetClock(chains: ClockChains): DevnetClock {
  return {
    async advance(seconds) {
      if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new AsixError("INVALID_INPUT", `seconds must be a positive whole number, not ${seconds}`);
      const [eth, data] = await Promise.all([head(chains.ethChain), head(chains.dataChain)]);
      // From the later of the two clocks (and never behind the wall clock), so they end up as one.
      let target = Math.max(eth.timestamp, data.timestamp, Math.floor(Date.now() / 1000)) + seconds;
      const ethBlocks = Math.max(1, Math.floor(seconds / ETH_SECONDS_PER_BLOCK));
      if (ethBlocks > 1) {
        await chains.ethChain.request({ method: "hardhat_mine", params: [hex(ethBlocks - 1), hex(ETH_SECONDS_PER_BLOCK)] });
        // hardhat_mine starts from the chain's own "now", which runs on while the chain is idle (or
        // was moved by evm_increaseTime): its last block can pass the target, and a block may not
        // go back in time. Then both chains end a second after it instead.
        target = Math.max(target, (await head(chains.ethChain)).timestamp + 1);
      }
      await Promise.all([mineAt(chains.ethChain, target), mineAt(chains.dataChain, target)]);
      const [ethAfter, dataAfter] = await Promise.all([head(chains.ethChain), head(chains.dataChain)]);
      await chains.waitIndexed();
      return {
        seconds,
        timestamp: target,
        ethChain: { blockNumber: ethAfter.number, mined: ethAfter.number - eth.number },
        dataChain: { blockNumber: dataAfter.number, mined: dataAfter.number - data.number },
      };
    },
  };
}

/** Mine one block stamped `timestamp`; the chain's later blocks go on from there. */
async function mineAt(chain: EIP1193Provider, timestamp: number): Promise<void> {
  await chain.request({ method: "evm_setNextBlockTimestamp", params: [hex(timestamp)] });
  await chain.request({ method: "evm_mine", params: [] });
}

async function head(chain: EIP1193Provider): Promise<{ number: number; timestamp: number }> {
  const block = (await chain.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { number: string; timestamp: string };
  return { number: Number(block.number), timestamp: Number(block.timestamp) };
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Resolves once each discovery node has indexed the data chain's head as it is now. */
export async function waitIndexersAtHead(discoveryUrls: () => string[], dataChain: EIP1193Provider, timeoutMs = 30_000): Promise<void> {
  const target = Number(await dataChain.request({ method: "eth_blockNumber", params: [] }));
  const deadline = Date.now() + timeoutMs;
  for (const url of discoveryUrls()) {
    for (;;) {
      const indexed = await fetch(`${url}/health_check`)
        .then(async (res) => ((await res.json()) as { data?: { latest_indexed_block?: number } }).data?.latest_indexed_block ?? -1)
        .catch(() => -1);
      if (indexed >= target) break;
      if (Date.now() > deadline) throw new AsixError("TIMEOUT", `${url} did not index the data chain's block ${target} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
