import { Wallet } from "ethers";
import type { ChainRpc } from "./chainRpc";
import { AsixError } from "../../../sdk/errors";
import { recoverHere, type SignerRecovery } from "./signatureWorkers";
import type { Logger } from "../http";

/**
 * The funded wallets that pay gas for relayed actions. Each relayer keeps its nonce locally and
 * signs under its own lock, so concurrent relays never collide; any doubtful failure re-reads the
 * nonce from the chain, so a failed send never leaves a gap that would stall every later transaction.
 *
 * Pipelined (the data chain): the lock covers taking the next nonce, not signing, nor the node's
 * answer. On the devnet's batched data chain a send answers once its block is mined, so
 * a lock held until the answer allowed one transaction per relayer per block (4 per block with the
 * devnet's 4 relayers, whatever the load). Sends of one relayer may reach the node out of nonce
 * order; a mempool queues a nonce ahead of the account's until the gap fills, as any Ethereum node
 * does. Not pipelined (Hardhat automine, as on the devnet's eth chain, refuses a nonce ahead of the
 * account's instead of queueing it): the lock is held until the node has accepted the transaction.
 */

export interface RelayerPoolOptions {
  rpc: ChainRpc;
  chainId: number;
  privateKeys: string[];
  /** under this balance (wei) a top-up warning is logged */
  lowBalanceWei: bigint;
  log: Logger;
  /** how long a relay waits for its receipt before answering TIMEOUT */
  receiptTimeoutMs?: number;
  /** release a relayer's lock once its send is handed to the node (a chain with a mempool); default false */
  pipelined?: boolean;
  /** where transactions are signed (worker threads in the service); default this thread */
  signing?: Pick<SignerRecovery, "signTransaction">;
}

export interface RelayedTransaction {
  to: string;
  data: string;
  gasLimit: bigint;
}

export interface RelayReceipt {
  blockHash: string;
  blockNumber: number;
  transactionHash: string;
  /** the relayer that paid */
  from: string;
  status: number;
  gasUsed: bigint;
  /** wei per gas actually paid */
  effectiveGasPrice: bigint;
}

interface Relayer {
  wallet: Wallet;
  address: string;
  nonce: number;
  /** local estimate of the balance, corrected by each receipt */
  balance: bigint;
  /** transactions queued on or sent by this relayer and not yet confirmed */
  inFlight: number;
  /** tail of this relayer's signing queue */
  queue: Promise<unknown>;
  /** when the balance was last found too low to send (0 = funded) */
  emptySince: number;
  lastLowBalanceWarning: number;
}

const TIP_WEI = 1_000_000_000n;
/** an empty relayer's balance is re-read this often, so a top-up brings it back */
const EMPTY_RECHECK_MS = 2_000;
const FEE_CACHE_MS = 1_000;

export class RelayerPool {
  private readonly relayers: Relayer[];
  private fees?: { maxFeePerGas: bigint; at: number };

  private constructor(private readonly options: RelayerPoolOptions, relayers: Relayer[]) {
    this.relayers = relayers;
  }

  static async create(options: RelayerPoolOptions): Promise<RelayerPool> {
    if (options.privateKeys.length === 0) throw new AsixError("INVALID_INPUT", "the identity service needs at least one relayer private key");
    const relayers = await Promise.all(
      options.privateKeys.map(async (key): Promise<Relayer> => {
        const wallet = new Wallet(key);
        const [nonce, balance] = await Promise.all([pendingNonce(options.rpc, wallet.address), balanceOf(options.rpc, wallet.address)]);
        return { wallet, address: wallet.address, nonce, balance, inFlight: 0, queue: Promise.resolve(), emptySince: 0, lastLowBalanceWarning: 0 };
      }),
    );
    const pool = new RelayerPool(options, relayers);
    for (const r of relayers) pool.warnIfLow(r);
    return pool;
  }

  /** Addresses and local state, for /health_check and tests. */
  status(): { address: string; nonce: number; balance: string; inFlight: number }[] {
    return this.relayers.map((r) => ({ address: r.address, nonce: r.nonce, balance: r.balance.toString(), inFlight: r.inFlight }));
  }

  /** Send from the least busy funded relayer and wait for the receipt. */
  async relay(tx: RelayedTransaction): Promise<RelayReceipt> {
    const tried = new Set<Relayer>();
    for (;;) {
      const relayer = this.pick(tried);
      if (!relayer) {
        throw new AsixError("NODE_UNAVAILABLE", "no relayer wallet has the funds to pay for this transaction; the identity service operator must top them up");
      }
      tried.add(relayer);
      relayer.inFlight++;
      try {
        const sent = await this.sendFrom(relayer, tx);
        if (!sent) continue; // this relayer is out of funds: try the next one
        const receipt = await this.waitForReceipt(sent.hash);
        relayer.balance += sent.maxCost - receipt.gasUsed * receipt.effectiveGasPrice;
        this.warnIfLow(relayer);
        return {
          blockHash: receipt.blockHash,
          blockNumber: receipt.blockNumber,
          transactionHash: sent.hash,
          from: relayer.address,
          status: receipt.status,
          gasUsed: receipt.gasUsed,
          effectiveGasPrice: receipt.effectiveGasPrice,
        };
      } finally {
        relayer.inFlight--;
      }
    }
  }

  private pick(tried: Set<Relayer>): Relayer | undefined {
    const now = Date.now();
    let best: Relayer | undefined;
    for (const r of this.relayers) {
      if (tried.has(r)) continue;
      if (r.emptySince && now - r.emptySince < EMPTY_RECHECK_MS) continue;
      if (!best || r.inFlight < best.inFlight) best = r;
    }
    return best;
  }

  /** Take a nonce under the relayer's lock, sign and submit; undefined when it cannot pay. */
  private async sendFrom(relayer: Relayer, tx: RelayedTransaction, attempt = 1): Promise<{ hash: string; maxCost: bigint } | undefined> {
    const pipelined = this.options.pipelined ?? false;
    const handOver = async (): Promise<{ sending: Promise<string>; maxCost: bigint; resynced: boolean } | undefined> => {
      const maxFeePerGas = await this.maxFeePerGas();
      const maxCost = tx.gasLimit * maxFeePerGas;
      if (relayer.emptySince) {
        relayer.balance = await balanceOf(this.options.rpc, relayer.address);
        relayer.emptySince = 0;
      }
      if (relayer.balance < maxCost) {
        this.markEmpty(relayer, maxCost);
        return undefined;
      }
      const unsigned = {
        type: 2,
        chainId: this.options.chainId,
        nonce: relayer.nonce,
        to: tx.to,
        data: tx.data,
        value: 0n,
        gasLimit: tx.gasLimit,
        maxFeePerGas,
        maxPriorityFeePerGas: TIP_WEI,
      };
      const signAndSend = async () =>
        this.options.rpc.send("eth_sendRawTransaction", [await (this.options.signing ?? recoverHere).signTransaction(relayer.wallet.privateKey, unsigned)]) as Promise<string>;
      if (pipelined) {
        // The nonce is all that orders a relayer's sends, so only taking it is locked: signing (a
        // worker round trip, slow when the event loop is busy) held the lock for tens of ms each,
        // which queued a relayer's actions one behind the other. Counted as spent now; a refused
        // send gives the balance back and re-reads the nonce below.
        relayer.nonce++;
        relayer.balance -= maxCost;
        const sending = signAndSend();
        sending.catch(() => undefined); // its failure is handled below, once the lock is released
        return { sending, maxCost, resynced: false };
      }
      const sending = signAndSend();
      sending.catch(() => undefined);
      if (!(await sending.then(() => true, () => false))) {
        // Whether the node took the nonce is unknown: read it back, still locked, so the next send has no gap.
        await this.resyncNonce(relayer);
        return { sending, maxCost, resynced: true };
      }
      relayer.nonce++;
      relayer.balance -= maxCost;
      return { sending, maxCost, resynced: false };
    };
    const sent = await this.underLock(relayer, handOver);
    if (!sent) return undefined;
    try {
      return { hash: await sent.sending, maxCost: sent.maxCost };
    } catch (cause) {
      if (!sent.resynced) {
        relayer.balance += sent.maxCost;
        await this.underLock(relayer, () => this.resyncNonce(relayer));
      }
      const message = String((cause as Error)?.message);
      if (/enough funds|insufficient funds/i.test(message)) {
        relayer.balance = await balanceOf(this.options.rpc, relayer.address);
        this.markEmpty(relayer, sent.maxCost);
        return undefined;
      }
      // the nonce moved under us (the key was used elsewhere): once more with the chain's nonce
      if (attempt === 1 && /nonce/i.test(message)) return this.sendFrom(relayer, tx, attempt + 1);
      throw new AsixError("NODE_UNAVAILABLE", "the data chain refused the relayed transaction", { cause });
    }
  }

  /** Run `fn` after everything queued on this relayer's lock, holding it until `fn` settles. */
  private underLock<T>(relayer: Relayer, fn: () => Promise<T>): Promise<T> {
    const result = relayer.queue.then(fn, fn);
    relayer.queue = result.catch(() => undefined);
    return result;
  }

  private async resyncNonce(relayer: Relayer): Promise<void> {
    try {
      relayer.nonce = await pendingNonce(this.options.rpc, relayer.address);
    } catch (cause) {
      this.options.log("cannot re-read relayer nonce", { relayer: relayer.address, error: String(cause) });
    }
  }

  private markEmpty(relayer: Relayer, needed: bigint): void {
    if (!relayer.emptySince) {
      this.options.log("relayer out of funds", { relayer: relayer.address, balance: relayer.balance.toString(), needed: needed.toString() });
    }
    relayer.emptySince = Date.now();
  }

  private warnIfLow(relayer: Relayer): void {
    if (relayer.balance >= this.options.lowBalanceWei) return;
    const now = Date.now();
    if (now - relayer.lastLowBalanceWarning < 60_000) return;
    relayer.lastLowBalanceWarning = now;
    this.options.log("relayer balance low: top it up", {
      relayer: relayer.address,
      balance: relayer.balance.toString(),
      threshold: this.options.lowBalanceWei.toString(),
    });
  }

  private async maxFeePerGas(): Promise<bigint> {
    const now = Date.now();
    if (!this.fees || now - this.fees.at > FEE_CACHE_MS) {
      const block = await this.options.rpc.send("eth_getBlockByNumber", ["latest", false]);
      const baseFee = BigInt(block?.baseFeePerGas ?? 0);
      this.fees = { maxFeePerGas: baseFee * 2n + TIP_WEI, at: now };
    }
    return this.fees.maxFeePerGas;
  }

  private async waitForReceipt(hash: string): Promise<{
    blockHash: string;
    blockNumber: number;
    status: number;
    gasUsed: bigint;
    effectiveGasPrice: bigint;
  }> {
    const deadline = Date.now() + (this.options.receiptTimeoutMs ?? 60_000);
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      const r = await this.options.rpc.send("eth_getTransactionReceipt", [hash]);
      if (r) {
        return {
          blockHash: r.blockHash,
          blockNumber: Number(r.blockNumber),
          status: Number(r.status),
          gasUsed: BigInt(r.gasUsed),
          effectiveGasPrice: BigInt(r.effectiveGasPrice),
        };
      }
      if (Date.now() > deadline) {
        throw new AsixError("TIMEOUT", `transaction ${hash} was sent but not confirmed in time`, { details: { transactionHash: hash } });
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function pendingNonce(rpc: ChainRpc, address: string): Promise<number> {
  return Number(await rpc.send("eth_getTransactionCount", [address, "pending"]));
}

async function balanceOf(rpc: ChainRpc, address: string): Promise<bigint> {
  return BigInt(await rpc.send("eth_getBalance", [address, "latest"]));
}
