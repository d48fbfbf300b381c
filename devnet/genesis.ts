import type { EIP1193Provider } from "hardhat/types";
import { AsixError } from "../sdk/errors";
import type { JournalRecord } from "./chainJournal";
import type { EthContracts } from "./deployEth";

/**
 * A cold devnet start used to deploy every contract by transactions (about 40 blocks of ethers
 * round trips, most of a cold start). Instead, each chain starts from the state such a deployment
 * leaves: every account it touched (code, nonce, balance, the storage slots it wrote) and the block
 * height it reached. `scripts/devnet-genesis.ts` deploys by transactions once and writes that state
 * to devnet/genesis.json; test/devnet/genesis.test.ts fails when the file drifts from a fresh
 * transaction deploy (as check-generated does for typechain-types). Loading it is a few hundred
 * in-process state calls and one `hardhat_mine`, journaled like any other state change, so a
 * persistent chain replays it on restart and block hashes still check out.
 */

/** One account as the deployment left it; storage holds the non-zero slots it wrote. */
export interface GenesisAccount {
  code: string;
  nonce: number;
  balance: string;
  storage: Record<string, string>;
}

/** One chain's state after the deployment. */
export interface ChainGenesis {
  /** the head block the deployment reached; loading mines empty blocks up to it, so later block numbers match */
  head: number;
  accounts: Record<string, GenesisAccount>;
}

/** What devnet/genesis.json holds. */
export interface DevnetGenesis {
  version: 1;
  ethChain: ChainGenesis & { contracts: EthContracts };
  dataChain: ChainGenesis & { entityManager: { address: string; block: number } };
}

/** The prepared state of both chains (devnet/genesis.json, bundled). */
export function devnetGenesis(): DevnetGenesis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./genesis.json") as DevnetGenesis;
}

const hex = (n: number | bigint) => `0x${n.toString(16)}`;

/** The state calls that make a fresh chain's accounts equal the genesis's, in a stable order. */
export function genesisCalls(genesis: ChainGenesis): Array<{ call: string; params: unknown[] }> {
  const calls: Array<{ call: string; params: unknown[] }> = [];
  for (const [address, account] of Object.entries(genesis.accounts)) {
    if (account.code !== "0x") calls.push({ call: "hardhat_setCode", params: [address, account.code] });
    calls.push({ call: "hardhat_setNonce", params: [address, hex(account.nonce)] });
    calls.push({ call: "hardhat_setBalance", params: [address, account.balance] });
    for (const [slot, value] of Object.entries(account.storage)) calls.push({ call: "hardhat_setStorageAt", params: [address, slot, value] });
  }
  return calls;
}

/**
 * Load `genesis` into a fresh chain (head 0) through its raw provider, and return the journal
 * records that replay it: the state calls, then the run of empty blocks up to the genesis's head.
 */
export async function loadGenesis(provider: EIP1193Provider, genesis: ChainGenesis): Promise<JournalRecord[]> {
  const head = Number(await provider.request({ method: "eth_blockNumber", params: [] }));
  if (head !== 0) throw new AsixError("INTERNAL", `the prepared genesis loads into a fresh chain, not one at block ${head}`);
  const calls = genesisCalls(genesis);
  for (const { call, params } of calls) await provider.request({ method: call, params });
  const records: JournalRecord[] = [...calls];
  if (genesis.head > 0) {
    await provider.request({ method: "hardhat_mine", params: [hex(genesis.head), "0x1"] });
    const first = (await provider.request({ method: "eth_getBlockByNumber", params: ["0x1", false] })) as { timestamp: string };
    const last = (await provider.request({ method: "eth_getBlockByNumber", params: [hex(genesis.head), false] })) as { hash: string };
    records.push({ n: 1, t: Number(first.timestamp), txs: [], count: genesis.head, interval: 1, h: last.hash });
  }
  return records;
}

interface TracedBlock {
  transactions: Array<{ hash: string; from: string; to: string | null }>;
}

/**
 * Read back what blocks 1..head of `provider` did to the chain: every account a transaction sent
 * from, called or created, with the slots any SSTORE of those transactions wrote (from
 * debug_traceTransaction's stacks). Used at build time by scripts/devnet-genesis.ts.
 */
export async function dumpChainState(provider: EIP1193Provider): Promise<ChainGenesis> {
  const call = (method: string, params: unknown[]) => provider.request({ method, params });
  const head = Number(await call("eth_blockNumber", []));
  const addresses = new Set<string>();
  const slots = new Set<string>();
  for (let n = 1; n <= head; n++) {
    const block = (await call("eth_getBlockByNumber", [hex(n), false])) as { transactions: string[] };
    for (const hash of block.transactions) {
      const tx = (await call("eth_getTransactionByHash", [hash])) as TracedBlock["transactions"][number];
      const receipt = (await call("eth_getTransactionReceipt", [hash])) as { contractAddress: string | null };
      for (const a of [tx.from, tx.to, receipt.contractAddress]) if (a) addresses.add(a.toLowerCase());
      const trace = (await call("debug_traceTransaction", [hash, { disableMemory: true, disableStorage: true }])) as {
        structLogs: Array<{ op: string; stack?: string[] }>;
      };
      for (const step of trace.structLogs) {
        if (step.op === "SSTORE" && step.stack && step.stack.length > 0) slots.add(hex(BigInt(withPrefix(step.stack[step.stack.length - 1]))));
        // Contracts a deployment calls into or creates from inside a call are accounts it touched too.
        if ((step.op === "CALL" || step.op === "DELEGATECALL" || step.op === "STATICCALL") && step.stack && step.stack.length > 1) {
          addresses.add(`0x${BigInt(withPrefix(step.stack[step.stack.length - 2])).toString(16).padStart(40, "0")}`);
        }
      }
    }
  }
  const sortedSlots = [...slots].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const accounts: Record<string, GenesisAccount> = {};
  for (const address of [...addresses].sort()) {
    const code = (await call("eth_getCode", [address, "latest"])) as string;
    const nonce = Number(await call("eth_getTransactionCount", [address, "latest"]));
    const balance = hex(BigInt((await call("eth_getBalance", [address, "latest"])) as string));
    const storage: Record<string, string> = {};
    for (const slot of sortedSlots) {
      const value = (await call("eth_getStorageAt", [address, slot, "latest"])) as string;
      if (BigInt(value) !== 0n) storage[slot] = value;
    }
    // Precompiles and untouched addresses a trace named carry nothing worth setting.
    if (code === "0x" && nonce === 0 && Object.keys(storage).length === 0 && !isFunded(balance)) continue;
    accounts[address] = { code, nonce, balance, storage };
  }
  return { head, accounts };
}

function isFunded(balance: string): boolean {
  return BigInt(balance) !== 0n;
}

function withPrefix(word: string): string {
  return word.startsWith("0x") ? word : `0x${word}`;
}
