import { ZeroAddress } from "ethers";
import { serviceTypeBytes32, type ServiceTypeName } from "./protocol";
import type { AsixClient } from "../client";
import { AsixError } from "../errors";
import { call, ethChain, requireAddress } from "./contracts";
import type { RegisteredNode } from "../protocol/nodes";

/** A kind of node that can be registered and staked. */
export type ServiceType = ServiceTypeName;
/** Every service type, in the order the contracts list them. */
export const SERVICE_TYPES: readonly ServiceType[] = ["content-node", "discovery-node"];

/** The service type as given, or INVALID_INPUT listing the valid ones. */
export function requireServiceType(value: unknown): ServiceType {
  if (!SERVICE_TYPES.includes(value as ServiceType)) {
    throw new AsixError("INVALID_INPUT", `service type must be ${SERVICE_TYPES.join(" or ")}, got ${JSON.stringify(value)}`);
  }
  return value as ServiceType;
}

/** `address`, else the acting wallet's address, else INVALID_INPUT. */
export async function addressOrWallet(client: AsixClient, address: string | undefined, what: string): Promise<string> {
  if (address !== undefined) return requireAddress(address, what);
  if (!client.wallet) throw new AsixError("INVALID_INPUT", `${what} is needed when there is no wallet`);
  return requireAddress(await client.wallet.getAddress(), what);
}

/** One registered node. */
export type ServiceEndpoint = RegisteredNode;

/** A pending lockup: the amount and the first block at which it can be carried out. */
export interface PendingLockup {
  /** the AUDIO waiting, wei */
  amount: bigint;
  /** the first block at which it can be carried out */
  lockupExpiryBlock: number;
  /** blocks still to mine before it can be carried out (0: ready) */
  blocksRemaining: number;
}

/** A node operator's stake, cut, bounds, nodes and pending requests. */
export interface ServiceProvider {
  /** the operator's address */
  address: string;
  /** the operator's own stake, wei */
  deployerStake: bigint;
  /** stake delegated to it, wei */
  delegatedStake: bigint;
  /** own + delegated, as Staking holds it, wei */
  totalStake: bigint;
  /** percent (of 100) of delegators' rewards the operator keeps */
  deployerCut: number;
  /** how many nodes it has registered */
  numberOfEndpoints: number;
  /** sum of its endpoints' minimums / maximums, wei */
  minAccountStake: bigint;
  /** the sum of its nodes' maximum stakes, wei */
  maxAccountStake: bigint;
  /** whether its stake lies within those bounds */
  validBounds: boolean;
  /** its registered nodes */
  endpoints: ServiceEndpoint[];
  /** its pending stake decrease, or null */
  pendingDecreaseStake: PendingLockup | null;
  /** its requested deployer cut and when the lockup ends, or null */
  pendingDeployerCut: {
    /** the requested deployer cut, percent */
    cut: number;
    /** the first block at which updateDeployerCut can apply it */
    lockupExpiryBlock: number;
  } | null;
}

/** AUDIO held (not staked) by `address` (default: the wallet), wei. */
export async function balanceOf(client: AsixClient, address?: string): Promise<bigint> {
  const who = await addressOrWallet(client, address, "address");
  return call({ action: "balanceOf" }, () => ethChain(client).read.token.balanceOf(who));
}

/** An operator's stake, bounds, nodes and pending requests (default: the wallet's). */
export async function getServiceProvider(client: AsixClient, address?: string): Promise<ServiceProvider> {
  const who = await addressOrWallet(client, address, "service provider");
  const { read, provider } = ethChain(client);
  return call({ action: "getServiceProvider" }, async () => {
    const [details, total, delegated, decrease, cut, block, ...idsByType] = await Promise.all([
      read.factory.getServiceProviderDetails(who),
      read.staking.totalStakedFor(who),
      read.delegateManager.getTotalDelegatedToServiceProvider(who),
      read.factory.getPendingDecreaseStakeRequest(who),
      read.factory.getPendingUpdateDeployerCutRequest(who),
      provider.getBlockNumber(),
      ...SERVICE_TYPES.map((t) => read.factory.getServiceProviderIdsFromAddress(who, serviceTypeBytes32(t))),
    ]);
    const endpoints = await Promise.all(
      SERVICE_TYPES.flatMap((type, i) => idsByType[i].map((spId) => endpointInfo(client, type, spId))),
    );
    return {
      address: who,
      deployerStake: details.deployerStake,
      delegatedStake: delegated,
      totalStake: total,
      deployerCut: Number(details.deployerCut),
      numberOfEndpoints: Number(details.numberOfEndpoints),
      minAccountStake: details.minAccountStake,
      maxAccountStake: details.maxAccountStake,
      validBounds: details.validBounds,
      endpoints: endpoints.filter((e): e is ServiceEndpoint => e !== null),
      pendingDecreaseStake: lockup(decrease.amount, decrease.lockupExpiryBlock, block),
      pendingDeployerCut: cut.lockupExpiryBlock === 0n ? null : { cut: Number(cut.newDeployerCut), lockupExpiryBlock: Number(cut.lockupExpiryBlock) },
    };
  });
}

async function endpointInfo(client: AsixClient, type: ServiceType, spId: bigint): Promise<ServiceEndpoint | null> {
  const info = await ethChain(client).read.factory.getServiceEndpointInfo(serviceTypeBytes32(type), spId);
  if (info.owner === ZeroAddress) return null;
  return {
    type,
    spId: Number(spId),
    endpoint: info.endpoint,
    owner: info.owner,
    delegateOwnerWallet: info.delegateOwnerWallet,
    blockNumber: Number(info.blockNumber),
  };
}

function lockup(amount: bigint, expiry: bigint, block: number): PendingLockup | null {
  if (expiry === 0n) return null;
  return { amount, lockupExpiryBlock: Number(expiry), blocksRemaining: Math.max(0, Number(expiry) - block) };
}

/** Every registered node of one type, by spId. */
export async function listServiceProviders(client: AsixClient, type: ServiceType): Promise<ServiceEndpoint[]> {
  const serviceType = requireServiceType(type);
  return call({ action: "listServiceProviders", serviceType }, async () => {
    const count = Number(await ethChain(client).read.factory.getTotalServiceTypeProviders(serviceTypeBytes32(serviceType)));
    const all = await Promise.all(Array.from({ length: count }, (_, i) => endpointInfo(client, serviceType, BigInt(i + 1))));
    return all.filter((e): e is ServiceEndpoint => e !== null);
  });
}

/** One delegator's stake behind a service provider. */
export interface Delegation {
  /** who delegated */
  delegator: string;
  /** how much, wei */
  amount: bigint;
}

/** Who delegates to `serviceProvider`, and how much. */
export async function getDelegators(client: AsixClient, serviceProvider: string): Promise<Delegation[]> {
  const sp = requireAddress(serviceProvider, "service provider");
  const { read } = ethChain(client);
  return call({ action: "getDelegators" }, async () => {
    const delegators = await read.delegateManager.getDelegatorsList(sp);
    const amounts = await Promise.all(delegators.map((d) => read.delegateManager.getDelegatorStakeForServiceProvider(d, sp)));
    return delegators.map((delegator, i) => ({ delegator, amount: amounts[i] }));
  });
}

/** The operator's pending stake decrease (default: the wallet's), or null. */
export async function getPendingDecreaseStake(client: AsixClient, address?: string): Promise<PendingLockup | null> {
  const who = await addressOrWallet(client, address, "address");
  const { read, provider } = ethChain(client);
  return call({ action: "getPendingDecreaseStake" }, async () => {
    const [pending, block] = await Promise.all([read.factory.getPendingDecreaseStakeRequest(who), provider.getBlockNumber()]);
    return lockup(pending.amount, pending.lockupExpiryBlock, block);
  });
}

export interface PendingUndelegate extends PendingLockup {
  /** the operator the stake leaves */
  serviceProvider: string;
}

/** The delegator's pending undelegation (default: the wallet's), or null. */
export async function getPendingUndelegate(client: AsixClient, address?: string): Promise<PendingUndelegate | null> {
  const who = await addressOrWallet(client, address, "address");
  const { read, provider } = ethChain(client);
  return call({ action: "getPendingUndelegate" }, async () => {
    const [pending, block] = await Promise.all([read.delegateManager.getPendingUndelegateRequest(who), provider.getBlockNumber()]);
    const base = lockup(pending.amount, pending.lockupExpiryBlock, block);
    return base && { serviceProvider: pending.serviceProvider, ...base };
  });
}

/** What a service provider could claim in the current round. */
export interface Claimable {
  /** the operator */
  serviceProvider: string;
  /** the current funding round (0: none yet) */
  round: number;
  /** whether a claim is pending in this round */
  pending: boolean;
  /** the whole reward a claim would pay now (operator and delegators together), wei */
  amount: bigint;
}

/** What `serviceProvider` (default: the wallet) can claim in the current round. */
export async function getClaimable(client: AsixClient, serviceProvider?: string): Promise<Claimable> {
  const sp = await addressOrWallet(client, serviceProvider, "service provider");
  const { read } = ethChain(client);
  return call({ action: "getClaimable" }, async () => {
    const [round, pending] = await Promise.all([read.claimsManager.roundNumber(), read.claimsManager.claimPending(sp)]);
    const amount = pending ? await read.claimsManager.getClaimableReward(sp) : 0n;
    return { serviceProvider: sp, round: Number(round), pending, amount };
  });
}

/**
 * A service provider given as an address or as one of its nodes' endpoints (http URL); NOT_FOUND
 * when no node is registered there.
 */
export async function resolveServiceProvider(client: AsixClient, ref: string): Promise<string> {
  if (typeof ref === "string" && /^https?:\/\//.test(ref)) {
    const { read } = ethChain(client);
    const found = await call({ action: "resolveServiceProvider" }, async () => {
      const spId = await read.factory.getServiceProviderIdFromEndpoint(ref);
      if (spId === 0n) return null;
      for (const type of SERVICE_TYPES) {
        const info = await endpointInfo(client, type, spId);
        if (info?.endpoint === ref) return info.owner;
      }
      return null;
    });
    if (!found) throw new AsixError("NOT_FOUND", `no node is registered at ${ref}`);
    return found;
  }
  return requireAddress(ref, "service provider");
}
