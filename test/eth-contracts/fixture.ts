import { expect } from "chai";
import { AbiCoder, Interface, JsonRpcProvider, parseEther, toBeHex, Wallet, type ErrorDescription, type TransactionRequest } from "ethers";
import { startChain, type Chain } from "../../devnet/chain";
import { devnetPrivateKey, DEVNET_ROLES } from "../../devnet/accounts";
import {
  deployEthContracts,
  DEVNET_ETH_PARAMS,
  ETH_REGISTRY_KEYS,
  registerServiceProvider,
  serviceTypeBytes32,
  type EthContracts,
  type EthParams,
  type ServiceTypeName,
} from "../../devnet/deployEth";
import { ETH_CONTRACT_ERRORS } from "../../sdk/staking/revert";
import { connectEthContracts } from "../../sdk/protocol/ethContracts";

export const ETH_CHAIN_ID = 31337;
export const CONTENT = serviceTypeBytes32("content-node");
export const DISCOVERY = serviceTypeBytes32("discovery-node");
export const AUDIO = (n: string | number) => parseEther(String(n));

/** Every custom error of every eth contract (the SDK's table): a revert bubbling up from a callee decodes too. */
export const ETH_ERRORS = ETH_CONTRACT_ERRORS;

/**
 * A devnet wallet that checks a transaction with one eth_call (against the pending block, where it
 * will land) instead of eth_estimateGas, whose binary search re-runs it a dozen times, and then
 * sends it with a fixed gas limit. A revert surfaces exactly as before, with its data.
 */
export class TestWallet extends Wallet {
  override async estimateGas(tx: TransactionRequest): Promise<bigint> {
    await this.call({ ...tx, blockTag: "pending" });
    return 8_000_000n;
  }
}

/** The contracts, connected as `signer`. */
export function connect(contracts: EthContracts, signer: Wallet) {
  const all = connectEthContracts(contracts, signer);
  // the tests' short name for ServiceProviderFactory
  return { ...all, factory: all.serviceProviderFactory };
}

export interface EthFixture {
  chain: Chain;
  provider: JsonRpcProvider;
  contracts: EthContracts;
  params: EthParams;
  deployer: Wallet;
  /** content/discovery operators (devnet accounts 2..5) */
  operators: Wallet[];
  /** token holders that delegate (devnet user accounts) */
  delegators: Wallet[];
  wallet(index: number): Wallet;
  as(signer: Wallet): ReturnType<typeof connect>;
  /** mine `blocks` empty blocks */
  mine(blocks: number | bigint): Promise<void>;
  blockNumber(): Promise<number>;
  /** give `to` tokens from the deployer */
  fund(to: Wallet, amount: bigint): Promise<void>;
  register(operator: Wallet, serviceType: ServiceTypeName, endpoint: string, stake: bigint): Promise<bigint>;
  /** run a parameter call as Governance (through its guardian, the deployer) */
  governed(key: keyof typeof ETH_REGISTRY_KEYS, signature: string, types: string[], values: unknown[]): Promise<any>;
  /**
   * run a call as Governance through a real proposal: `voters[0]` proposes, every voter votes Yes,
   * the chain moves past the voting period and execution delay, and the proposal is evaluated.
   * Resolves with the evaluation receipt; rejects with the call's revert data if the call failed.
   */
  passProposal(voters: Wallet[], key: keyof typeof ETH_REGISTRY_KEYS, signature: string, types: string[], values: unknown[]): Promise<any>;
  snapshot(): Promise<string>;
  revert(id: string): Promise<void>;
  close(): Promise<void>;
}

/** A real in-process eth chain with the contracts deployed with `params`. */
export async function startEthFixture(params: EthParams = DEVNET_ETH_PARAMS): Promise<EthFixture> {
  const chain = await startChain({ chainId: ETH_CHAIN_ID });
  // no batching stall: on an automining local chain every round trip counts
  const provider = new JsonRpcProvider(chain.url, ETH_CHAIN_ID, { staticNetwork: true, cacheTimeout: -1, batchStallTime: 0 });
  provider.pollingInterval = 20;
  const wallet = (i: number) => new TestWallet(devnetPrivateKey(i), provider);
  const deployer = wallet(DEVNET_ROLES.deployer);
  const contracts = await deployEthContracts(deployer, params);
  const abi = AbiCoder.defaultAbiCoder();
  const fx: EthFixture = {
    chain,
    provider,
    contracts,
    params,
    deployer,
    // The funded operator accounts only: a devnet past three content nodes uses unfunded ones the deployer pays for.
    operators: [...DEVNET_ROLES.contentNodes.slice(0, 3), DEVNET_ROLES.discoveryNode].map(wallet),
    delegators: DEVNET_ROLES.users.slice(0, 6).map(wallet),
    wallet,
    as: (signer) => connect(contracts, signer),
    async mine(blocks) {
      await provider.send("hardhat_mine", [toBeHex(BigInt(blocks))]);
    },
    blockNumber: () => provider.getBlockNumber(),
    async fund(to, amount) {
      await (await connect(contracts, deployer).token.transfer(to.address, amount)).wait();
    },
    register: (operator, serviceType, endpoint, stake) =>
      registerServiceProvider({ contracts, deployer, operator, serviceType, endpoint, stake }),
    async governed(key, signature, types, values) {
      const gov = connect(contracts, deployer).governance;
      return (await gov.guardianExecuteTransaction(ETH_REGISTRY_KEYS[key], 0, signature, abi.encode(types, values))).wait();
    },
    async passProposal(voters, key, signature, types, values) {
      const gov = connect(contracts, voters[0]).governance;
      const submitted = await (
        await gov.submitProposal(ETH_REGISTRY_KEYS[key], 0, signature, abi.encode(types, values), "test", "test")
      ).wait();
      const id = gov.interface.parseLog(submitted!.logs[0])!.args.proposalId as bigint;
      for (const voter of voters) await (await connect(contracts, voter).governance.submitVote(id, 2)).wait();
      const earliest = BigInt(submitted!.blockNumber) + params.votingPeriod + params.executionDelay;
      const now = BigInt(await provider.getBlockNumber());
      if (earliest > now + 1n) await provider.send("hardhat_mine", [toBeHex(earliest - now - 1n)]);
      const receipt = await (await gov.evaluateProposalOutcome(id)).wait();
      const executed = receipt!.logs.map((l) => gov.interface.parseLog(l)).find((e) => e?.name === "ProposalTransactionExecuted");
      if (!executed) throw new Error(`proposal ${id} was not approved`);
      if (!executed.args.success) throw Object.assign(new Error(`proposal ${id}'s call failed`), { data: executed.args.returnData });
      return receipt;
    },
    snapshot: () => provider.send("evm_snapshot", []),
    async revert(id) {
      expect(await provider.send("evm_revert", [id])).to.equal(true);
    },
    async close() {
      provider.destroy();
      await chain.close();
    },
  };
  return fx;
}

function revertData(e: unknown): string | undefined {
  let cur: any = e;
  for (let depth = 0; cur && depth < 6; depth++) {
    if (typeof cur.data === "string" && cur.data.startsWith("0x")) return cur.data;
    if (typeof cur.info?.error?.data === "string") return cur.info.error.data;
    if (typeof cur.error?.data === "string") return cur.error.data;
    cur = cur.error ?? cur.cause;
  }
  return undefined;
}

/** Await a guardian call whose target must revert with `name` (wrapped in Governance's TransactionFailed). */
export async function expectGovernedRevert(call: Promise<unknown>, name: string, args?: unknown[]): Promise<ErrorDescription> {
  const outer = await expectRevert(call, "TransactionFailed");
  const inner = ETH_ERRORS.parseError(outer.args[0]);
  expect(inner?.name, "inner revert").to.equal(name);
  if (args) expect([...inner!.args]).to.deep.equal(args);
  return inner!;
}

/** Await a call that must revert with the custom error `name` (and `args`, when given). */
export async function expectRevert(call: Promise<unknown>, name: string, args?: unknown[]): Promise<ErrorDescription> {
  let error: unknown;
  try {
    await call;
  } catch (e) {
    error = e;
  }
  if (error === undefined) expect.fail(`expected a revert with ${name}, but the call succeeded`);
  const data = revertData(error);
  if (data === undefined) throw error;
  const parsed = ETH_ERRORS.parseError(data);
  if (parsed === null) throw error;
  expect(parsed.name, `revert ${parsed.signature}`).to.equal(name);
  if (args) expect([...parsed.args]).to.deep.equal(args);
  return parsed;
}

/** A transaction to send inside one block: the call, and a gas limit when it is expected to revert. */
export type BlockStep = () => Promise<{ hash: string }>;

/**
 * Send `steps` in order with automine off, so that they all land in one block, then mine it.
 * Resolves with each transaction's receipt (status 0 for one that reverted), in order. A step
 * expected to revert must pass its own gasLimit: gas estimation would refuse it.
 */
export async function inOneBlock(fx: { provider: JsonRpcProvider }, steps: BlockStep[]) {
  await fx.provider.send("evm_setAutomine", [false]);
  const hashes: string[] = [];
  try {
    for (const step of steps) hashes.push((await step()).hash);
    await fx.provider.send("evm_mine", []);
  } finally {
    await fx.provider.send("evm_setAutomine", [true]);
  }
  const receipts = await Promise.all(hashes.map((h) => fx.provider.getTransactionReceipt(h)));
  const block = receipts[0]!.blockNumber;
  for (const r of receipts) expect(r!.blockNumber, "all in one block").to.equal(block);
  return receipts.map((r) => r!);
}

/** What transaction `hash` reverted with, traced in its block after the transactions before it (null: it did not). */
export async function revertOf(provider: JsonRpcProvider, hash: string): Promise<ErrorDescription | null> {
  const trace = await provider.send("debug_traceTransaction", [hash, { disableStorage: true, disableMemory: true, disableStack: true }]);
  if (!trace.failed) return null;
  const data = String(trace.returnValue);
  return ETH_ERRORS.parseError(data.startsWith("0x") ? data : `0x${data}`);
}

/** Send a transaction and wait for its receipt. */
export async function mined(tx: Promise<{ wait(): Promise<unknown> }>): Promise<any> {
  return (await tx).wait();
}

/** The events of `contract`'s interface in a receipt, by name. */
export function eventsOf(
  receipt: { logs: readonly { topics: readonly string[]; data: string }[] },
  iface: Interface,
  name: string,
) {
  return receipt.logs
    .map((log) => {
      try {
        return iface.parseLog(log);
      } catch {
        return null;
      }
    })
    .filter((e) => e?.name === name)
    .map((e) => e!.args);
}

/** Start a fixture for a test file: every test starts from the freshly deployed state. */
export function useEthFixture(params?: EthParams): () => EthFixture {
  let fx: EthFixture;
  let snap: string;
  before(async () => {
    fx = await startEthFixture(params);
    snap = await fx.snapshot();
  });
  afterEach(async () => {
    await fx.revert(snap);
    snap = await fx.snapshot();
  });
  after(async () => fx?.close());
  return () => fx;
}
