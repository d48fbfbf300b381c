import { KeySigner } from "../eth/keySigner";
import { BaseWallet, SigningKey, getAddress, isAddress, JsonRpcProvider, type ContractTransactionResponse, type Interface, type Signer, type TransactionReceipt } from "ethers";
import { connectEthContracts, ETH_CONTRACT_NAMES, type ConnectedEthContracts, type EthContractAddresses } from "../protocol/ethContractAbis";
import { requireWallet, type AsixClient } from "../client";
import { AsixError } from "../errors";
import { toAsixError, type RevertContext } from "./revert";
import { CallBudget } from "../callBudget";
import type { CallOptions } from "../http";

/** The eth-chain contract addresses an AsixClient must know (network.ethChain.contracts). */
const CONTRACT_KEYS = ETH_CONTRACT_NAMES.filter((name): name is Exclude<typeof name, "registry"> => name !== "registry");

export interface EthChain {
  provider: JsonRpcProvider;
  /** contracts connected read-only to the provider */
  read: StakingContracts;
  addresses: Omit<EthContractAddresses, "registry">;
}

/** The contracts the staking calls use, with ServiceProviderFactory also under its short name. */
export type StakingContracts = Omit<ConnectedEthContracts, "registry"> & { factory: ConnectedEthContracts["serviceProviderFactory"] };

function connectAll(addresses: EthChain["addresses"], runner: JsonRpcProvider | Signer): StakingContracts {
  const contracts = connectEthContracts(addresses, runner, CONTRACT_KEYS);
  // the staking modules' short name for ServiceProviderFactory
  return { ...contracts, factory: contracts.serviceProviderFactory };
}

// One provider per client: ethers providers are cheap but each keeps its own nonce/network state.
const chains = new WeakMap<AsixClient, EthChain>();

/** The client's eth chain: provider and read-only contracts. INVALID_INPUT if it is not configured. */
export function ethChain(client: AsixClient): EthChain {
  const cached = chains.get(client);
  if (cached) return cached;
  const config = client.network.ethChain;
  if (!config?.rpcUrl || !Number.isSafeInteger(config.chainId)) {
    throw new AsixError("INVALID_INPUT", "staking needs network.ethChain { chainId, rpcUrl, contracts }");
  }
  const contracts = config.contracts ?? {};
  const addresses = {} as EthChain["addresses"];
  for (const key of CONTRACT_KEYS) {
    const address = contracts[key];
    if (!address || !isAddress(address)) throw new AsixError("INVALID_INPUT", `network.ethChain.contracts.${key} must be an address`);
    addresses[key] = getAddress(address);
  }
  const provider = new JsonRpcProvider(config.rpcUrl, config.chainId, { staticNetwork: true, cacheTimeout: -1 });
  provider.pollingInterval = 50;
  const chain = { provider, read: connectAll(addresses, provider), addresses };
  chains.set(client, chain);
  return chain;
}

/** The acting wallet connected to the eth chain, and the contracts connected as that wallet. */
export function ethSigner(client: AsixClient, action: string) {
  const chain = ethChain(client);
  const wallet = requireWallet(client, action);
  let signer: Signer;
  try {
    if (wallet instanceof KeySigner) signer = new BaseWallet(new SigningKey(wallet.privateKey), chain.provider);
    else signer = wallet.provider === chain.provider ? wallet : wallet.connect(chain.provider);
  } catch {
    // a signer that cannot be re-connected (e.g. a browser wallet) must already be on the eth chain
    if (!wallet.provider) throw new AsixError("INVALID_INPUT", `${action}: the wallet cannot be connected to the eth chain`);
    signer = wallet;
  }
  return { chain, signer, contracts: connectAll(chain.addresses, signer) };
}

/** An address argument, checksummed; INVALID_INPUT otherwise. */
export function requireAddress(value: unknown, what: string): string {
  if (typeof value !== "string" || !isAddress(value)) throw new AsixError("INVALID_INPUT", `${what} must be an 0x address, got ${JSON.stringify(value)}`);
  return getAddress(value);
}

/** A positive bigint wei amount; INVALID_INPUT otherwise. */
export function requireAmount(value: unknown, what = "amount", allowZero = false): bigint {
  if (typeof value !== "bigint" || value < 0n || (!allowZero && value === 0n)) {
    throw new AsixError("INVALID_INPUT", `${what} must be a ${allowZero ? "non-negative" : "positive"} bigint in wei, got ${String(value)}`);
  }
  return value;
}

/** What every write returns once its receipt is in. */
export interface TransactionResult {
  /** the transaction's hash */
  transactionHash: string;
  /** the block it was mined in */
  blockNumber: number;
}

/** What every staking and governance write takes: `signal` (ABORTED) and `timeoutMs` (TIMEOUT) bound the whole write. */
export type WriteOptions = CallOptions;

/** The budget of one write: its options checked (INVALID_INPUT), its clock started. */
export const writeBudget = (options: CallOptions | undefined, action: string): CallBudget => new CallBudget(options, action);

/**
 * `work`, or ABORTED / TIMEOUT as soon as the budget's signal fires or its time is spent. The work
 * itself goes on (a transaction already handed to the node cannot be recalled, and the per-wallet
 * queue still waits for it), so an abort never makes the SDK send a write twice.
 */
export function within<T>(budget: CallBudget, action: string, work: Promise<T>): Promise<T> {
  budget.check();
  const left = budget.remainingMs();
  if (!budget.signal && left === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const stop = (code: "ABORTED" | "TIMEOUT") => () => {
      done();
      const cause = code === "ABORTED" ? budget.signal?.reason : undefined;
      reject(new AsixError(code, code === "ABORTED" ? `${action}: aborted` : `${action}: did not finish within its timeoutMs`, { cause }));
    };
    const onAbort = stop("ABORTED");
    const timer = left === undefined ? undefined : setTimeout(stop("TIMEOUT"), Math.max(0, left));
    budget.signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      budget.signal?.removeEventListener("abort", onAbort);
    };
    work.then(
      (value) => {
        done();
        resolve(value);
      },
      (e) => {
        done();
        reject(e);
      },
    );
  });
}

/**
 * Send a transaction and wait for its receipt; any revert (at estimation or after mining) becomes an
 * AsixError named after the custom error. With a budget, gives up waiting with ABORTED or TIMEOUT.
 */
export async function send(
  context: RevertContext,
  signer: Signer,
  tx: () => Promise<ContractTransactionResponse>,
  budget?: CallBudget,
): Promise<TransactionReceipt> {
  budget?.check();
  // One write at a time per wallet and chain: concurrent writes would read the same pending nonce.
  const key = `${(signer.provider as JsonRpcProvider | null)?._getConnection?.().url ?? ""}|${(await signer.getAddress()).toLowerCase()}`;
  const previous = inFlight.get(key) ?? Promise.resolve();
  const run = previous.then(async () => {
    // a caller that gave up while an earlier write held the queue must not have its write sent later
    budget?.check();
    try {
      const response = await tx();
      const receipt = await response.wait();
      if (!receipt) throw new AsixError("CHAIN_REVERTED", `${context.action}: the transaction was dropped`);
      return receipt;
    } catch (e) {
      throw toAsixError(e, context);
    }
  });
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  inFlight.set(key, settled);
  void settled.then(() => {
    if (inFlight.get(key) === settled) inFlight.delete(key);
  });
  return budget ? within(budget, context.action, run) : run;
}

const inFlight = new Map<string, Promise<void>>();

/** A read that turns reverts and RPC failures into AsixErrors. */
export async function call<T>(context: RevertContext, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    throw toAsixError(e, context);
  }
}

/** The first log of `eventName` emitted by `address` in the receipt, parsed. */
export function findEvent(receipt: TransactionReceipt, iface: Interface, address: string, eventName: string) {
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address.toLowerCase()) continue;
    const parsed = iface.parseLog(log);
    if (parsed?.name === eventName) return parsed;
  }
  throw new AsixError("INTERNAL", `no ${eventName} event in transaction ${receipt.hash}`);
}

export const txResult = (receipt: TransactionReceipt): TransactionResult => ({ transactionHash: receipt.hash, blockNumber: receipt.blockNumber });
