import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { Transaction, keccak256 } from "ethers";
import type { EIP1193Provider } from "hardhat/types";
import { AsixError } from "../sdk/errors";

/**
 * A devnet chain lives in memory. So that no block a client was told about is lost in a crash,
 * every block the chain mines is appended to a journal file and fsync'd before any RPC answer can
 * show it; on start the journal is replayed into a chain with the same genesis time, which gives
 * the same state and, block for block, the same hashes.
 *
 * One JSON object per line. The first is the header; then, in chain order:
 *  - a block: `{ n, t, txs }` (number, timestamp, raw signed transactions);
 *  - what one `hardhat_mine` made: `{ n, t, txs, count, interval, h }`, replayed by the same call, as
 *    Hardhat reserves the middle blocks of a long run instead of mining them one by one, which
 *    shows in their base fees and so in the hashes;
 *  - a state call that is not a transaction (`hardhat_setBalance`, …): `{ call, params }`.
 * A torn last line (a crash mid-append) was never acknowledged and is dropped.
 */

export interface JournalHeader {
  journal: 1;
  chainId: number;
  genesisDate: string;
}
export interface JournalBlock {
  n: number;
  t: number;
  txs: string[];
  /** the block's hash, checked after a replay */
  h: string;
}
/** What one hardhat_mine made: its first block (which takes the mempool) and `count - 1` empty ones after it. */
export interface JournalRun extends JournalBlock {
  count: number;
  interval: number;
}
export interface JournalCall {
  call: string;
  params: unknown[];
}
export type JournalRecord = JournalBlock | JournalRun | JournalCall;

/** RPC methods that may mine a block. */
const MINING = new Set(["eth_sendTransaction", "eth_sendRawTransaction", "evm_mine", "hardhat_mine"]);
/** State changes outside blocks: journaled as calls and replayed in order. */
const STATE_CALLS = new Set([
  "hardhat_setBalance",
  "hardhat_setCode",
  "hardhat_setStorageAt",
  "hardhat_setNonce",
  // these shape the next blocks, and so their hashes
  "hardhat_setCoinbase",
  "hardhat_setNextBlockBaseFeePerGas",
  "hardhat_setPrevRandao",
  "hardhat_setMinGasPrice",
  "evm_setBlockGasLimit",
]);
/**
 * Calls a journal cannot follow: rewriting history, and sending as an account without its key
 * (an impersonated transaction has no signature to replay).
 */
const REFUSED = new Set(["evm_revert", "hardhat_reset", "hardhat_dropTransaction", "hardhat_impersonateAccount"]);

export interface ReadJournal {
  header: JournalHeader;
  records: JournalRecord[];
}

/** Read a journal; undefined when there is none. Drops a torn last line from the file. */
export function readJournal(file: string): ReadJournal | undefined {
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, "utf8");
  const end = text.lastIndexOf("\n") + 1;
  if (end < text.length) fs.truncateSync(file, end);
  const lines = text.slice(0, end).split("\n").filter(Boolean);
  if (lines.length === 0) return undefined;
  const header = JSON.parse(lines[0]) as JournalHeader;
  if (header.journal !== 1) throw new AsixError("INVALID_INPUT", `${file} is not a devnet chain journal`);
  return { header, records: lines.slice(1).map((l) => JSON.parse(l) as JournalRecord) };
}

/** Create a journal with its header, durably (file and directory entry). */
export function createJournal(file: string, header: JournalHeader, records: JournalRecord[] = []): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, [header, ...records].map((r) => JSON.stringify(r) + "\n").join(""));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Replay journal records into a chain started with the journal's genesis date, and check that the
 * head block's hash is the journaled one (else the services' data would not match this chain).
 */
export async function replayJournal(provider: EIP1193Provider, records: JournalRecord[]): Promise<void> {
  const automine = (await provider.request({ method: "hardhat_getAutomine", params: [] })) as boolean;
  await provider.request({ method: "evm_setAutomine", params: [false] });
  try {
    for (const record of records) {
      if ("call" in record) {
        await provider.request({ method: record.call, params: record.params });
        continue;
      }
      await provider.request({ method: "evm_setNextBlockTimestamp", params: [record.t] });
      for (const raw of record.txs) await provider.request({ method: "eth_sendRawTransaction", params: [raw] });
      if ("count" in record) await provider.request({ method: "hardhat_mine", params: [hex(record.count), hex(record.interval)] });
      else await provider.request({ method: "evm_mine", params: [] });
    }
  } finally {
    await provider.request({ method: "evm_setAutomine", params: [automine] });
  }
  const last = [...records].reverse().find((r): r is JournalBlock => "h" in r);
  if (last) {
    const number = journalHead([last]);
    const block = (await provider.request({ method: "eth_getBlockByNumber", params: [hex(number), false] })) as RpcBlock | null;
    if (block?.hash !== last.h) {
      throw new AsixError("INTERNAL", `replaying the chain journal gave block ${number} hash ${block?.hash}, not the journaled ${last.h}`);
    }
  }
}

/**
 * Wrap a chain so that each mined block is journaled before anyone sees it: a call that may mine
 * holds the chain exclusively until its blocks are appended and fsync'd, and every other call waits
 * for that. So an indexer can never read a block that a crash would then take away.
 */
export function withJournal(inner: EIP1193Provider, file: string, journaledHead: number): EIP1193Provider {
  const lock = new ReadWriteLock();
  const rawByHash = new Map<string, string>();
  let head = journaledHead;
  let fd = fs.openSync(file, "a");
  const write = promisify(fs.write);
  const fdatasync = promisify(fs.fdatasync);

  // Asynchronous, so the services sharing this process keep running while the disk syncs.
  const append = async (records: JournalRecord[]) => {
    if (records.length === 0) return;
    await write(fd, records.map((r) => JSON.stringify(r) + "\n").join(""));
    await fdatasync(fd);
  };

  const rawOf = async (tx: RpcTransaction): Promise<string> => {
    const known = rawByHash.get(tx.hash);
    if (known) {
      rawByHash.delete(tx.hash);
      return known;
    }
    return serializeRpcTransaction(tx);
  };

  const blockRecord = async (n: number): Promise<JournalBlock> => {
    const block = (await inner.request({ method: "eth_getBlockByNumber", params: [hex(n), true] })) as RpcBlock;
    return { n, t: Number(block.timestamp), txs: await Promise.all(block.transactions.map(rawOf)), h: block.hash };
  };

  /** Journal every block past `head`; `run` is set when they are what one hardhat_mine made. */
  const journalNewBlocks = async (run?: { interval: number }) => {
    const latest = Number(await inner.request({ method: "eth_blockNumber", params: [] }));
    const records: JournalRecord[] = [];
    if (run && latest > head) {
      const first = await blockRecord(head + 1);
      const last = (await inner.request({ method: "eth_getBlockByNumber", params: [hex(latest), false] })) as RpcBlock;
      records.push({ ...first, count: latest - head, interval: run.interval, h: last.hash });
    } else {
      for (let n = head + 1; n <= latest; n++) records.push(await blockRecord(n));
    }
    await append(records);
    head = latest;
  };

  const request = async (args: { method: string; params?: unknown[] | object }): Promise<unknown> => {
    const params = (args.params ?? []) as unknown[];
    if (REFUSED.has(args.method)) {
      throw new AsixError("INVALID_INPUT", `${args.method} is not supported on a persistent devnet chain: its journal cannot rewrite history`);
    }
    if (!MINING.has(args.method) && !STATE_CALLS.has(args.method)) {
      await lock.read();
      try {
        return await inner.request(args);
      } finally {
        lock.releaseRead();
      }
    }
    await lock.write();
    try {
      if (args.method === "eth_sendRawTransaction" && typeof params[0] === "string") rawByHash.set(keccak256(params[0]), params[0]);
      let result: unknown;
      try {
        result = await inner.request(args);
      } finally {
        if (STATE_CALLS.has(args.method)) {
          await append([{ call: args.method, params }]);
        } else {
          const interval = args.method === "hardhat_mine" ? (params[1] === undefined ? 1 : Number(params[1])) : undefined;
          await journalNewBlocks(interval === undefined ? undefined : { interval });
        }
      }
      return result;
    } finally {
      lock.releaseWrite();
    }
  };

  /** Devnet snapshots: run `rewind` exclusively, then make the journal hold exactly the rewound chain's records. */
  const rewriteJournal: RewriteJournal = async (header, records, rewind) => {
    await lock.write();
    try {
      await rewind();
      createJournal(file, header, records);
      fs.closeSync(fd);
      fd = fs.openSync(file, "a");
      head = journalHead(records);
      rawByHash.clear();
    } finally {
      lock.releaseWrite();
    }
  };

  return new Proxy(inner, {
    get(target, prop) {
      if (prop === "request") return request;
      if (prop === "closeJournal") return () => fs.closeSync(fd);
      if (prop === "rewriteJournal") return rewriteJournal;
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export type RewriteJournal = (header: JournalHeader, records: JournalRecord[], rewind: () => Promise<void>) => Promise<void>;

/** The journal-rewrite hook of a provider made by withJournal (devnet snapshots); undefined otherwise. */
export function journalRewriter(provider: EIP1193Provider): RewriteJournal | undefined {
  const rewrite = (provider as unknown as { rewriteJournal?: RewriteJournal }).rewriteJournal;
  return typeof rewrite === "function" ? rewrite : undefined;
}

/** Close the journal file of a provider made by withJournal (no-op otherwise). */
export function closeJournal(provider: EIP1193Provider): void {
  const close = (provider as unknown as { closeJournal?: () => void }).closeJournal;
  if (typeof close === "function") close();
}

/** After a replay the chain's clock stands at its last block; move it to now so time does not lag the downtime. */
export async function catchUpWithWallClock(edr: EIP1193Provider): Promise<void> {
  const latest = (await edr.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { timestamp: string };
  const now = Math.floor(Date.now() / 1000);
  if (now > Number(latest.timestamp)) await edr.request({ method: "evm_setNextBlockTimestamp", params: [now] });
}

/** The head block a journal leads to. */
export function journalHead(records: JournalRecord[]): number {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i];
    if ("count" in r) return r.n + r.count - 1;
    if ("h" in r) return r.n;
  }
  return 0;
}

interface RpcTransaction {
  hash: string;
  type: string;
  chainId?: string;
  nonce: string;
  to: string | null;
  gas: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
  maxFeePerBlobGas?: string;
  blobVersionedHashes?: string[];
  value: string;
  input: string;
  accessList?: Array<{ address: string; storageKeys: string[] }>;
  v: string;
  r: string;
  s: string;
  yParity?: string;
}

interface RpcBlock {
  hash: string;
  timestamp: string;
  transactions: RpcTransaction[];
}

/** The signed bytes of a transaction the chain signed itself (eth_sendTransaction). */
function serializeRpcTransaction(tx: RpcTransaction): string {
  const type = Number(tx.type);
  const serialized = Transaction.from({
    type,
    chainId: tx.chainId === undefined ? undefined : BigInt(tx.chainId),
    nonce: Number(tx.nonce),
    to: tx.to,
    gasLimit: BigInt(tx.gas),
    gasPrice: type === 2 ? undefined : tx.gasPrice,
    maxFeePerGas: tx.maxFeePerGas,
    maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
    value: BigInt(tx.value),
    data: tx.input,
    accessList: type === 0 ? undefined : tx.accessList,
    signature: { r: tx.r, s: tx.s, v: tx.yParity !== undefined ? 27 + Number(tx.yParity) : Number(tx.v) },
  }).serialized;
  if (keccak256(serialized) !== tx.hash) throw new AsixError("INTERNAL", `cannot journal transaction ${tx.hash}: its re-encoding does not match`);
  return serialized;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Many readers or one writer; a waiting writer goes before readers that arrive after it. */
class ReadWriteLock {
  private readers = 0;
  private writing = false;
  private readonly queue: Array<{ write: boolean; go: () => void }> = [];

  read(): Promise<void> {
    if (!this.writing && this.queue.length === 0) {
      this.readers++;
      return Promise.resolve();
    }
    return new Promise((go) => this.queue.push({ write: false, go }));
  }
  write(): Promise<void> {
    if (!this.writing && this.readers === 0 && this.queue.length === 0) {
      this.writing = true;
      return Promise.resolve();
    }
    return new Promise((go) => this.queue.push({ write: true, go }));
  }
  releaseRead(): void {
    this.readers--;
    this.drain();
  }
  releaseWrite(): void {
    this.writing = false;
    this.drain();
  }
  private drain(): void {
    while (this.queue.length && !this.writing) {
      const next = this.queue[0];
      if (next.write) {
        if (this.readers > 0) return;
        this.queue.shift();
        this.writing = true;
        next.go();
        return;
      }
      this.queue.shift();
      this.readers++;
      next.go();
    }
  }
}
