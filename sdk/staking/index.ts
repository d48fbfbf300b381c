/**
 * The eth-chain side for node operators and token holders: $AUDIO, staking, delegation and rewards.
 * Amounts are bigint wei. Writes are sent by the client's wallet on network.ethChain and return
 * once their receipt is in; moving the wallet's tokens takes one transaction (EIP-2612 permit).
 * Reverts become AsixError CHAIN_REVERTED naming the custom error (see ./revert).
 */
import type { AsixClient } from "../client";
import {
  balanceOf,
  getClaimable,
  getDelegators,
  getPendingDecreaseStake,
  getPendingUndelegate,
  getServiceProvider,
  listServiceProviders,
  resolveServiceProvider,
  type ServiceType,
} from "./reads";
import { deregister, register, updateEndpoint, type DeregisterParameters, type RegisterParameters, type UpdateEndpointParameters } from "./serviceProvider";
import { cancelDecreaseStake, decreaseStake, increaseStake, requestDecreaseStake } from "./stake";
import { cancelUndelegate, delegate, requestUndelegate, undelegate } from "./delegation";
import { requestUpdateDeployerCut, updateDeployerCut } from "./deployerCut";
import { claimRewards, initiateRound } from "./rewards";
import { transfer } from "./transfer";
import { getParameters } from "./parameters";
import type { GaslessOptions } from "./gasless";
import type { WriteOptions } from "./contracts";
import type { StakingApi } from "./api";

/** Bind the staking functions to a client: what `asix.staking` is. */
export function createStakingApi(client: AsixClient): StakingApi {
  return {
    /** AUDIO held by `address` (default: the wallet), wei. */
    balanceOf: (address?: string) => balanceOf(client, address),
    /** An operator's stake, cut, bounds, nodes and pending requests (default: the wallet's). */
    getServiceProvider: (address?: string) => getServiceProvider(client, address),
    /** Every registered node of a type: endpoint, owner, delegateOwnerWallet, spId. */
    listServiceProviders: (type: ServiceType) => listServiceProviders(client, type),
    /** The operator address behind an address or a node endpoint URL. */
    resolveServiceProvider: (ref: string) => resolveServiceProvider(client, ref),
    /** The delegators of `serviceProvider` and their amounts. */
    getDelegators: (serviceProvider: string) => getDelegators(client, serviceProvider),
    /** The pending stake decrease of `address` (default: the wallet), or null. */
    getPendingDecreaseStake: (address?: string) => getPendingDecreaseStake(client, address),
    /** The pending undelegation of `address` (default: the wallet), or null. */
    getPendingUndelegate: (address?: string) => getPendingUndelegate(client, address),
    /** What `serviceProvider` (default: the wallet) can claim in the current round. */
    getClaimable: (serviceProvider?: string) => getClaimable(client, serviceProvider),
    /** Stake bounds, lockups, delegation limits, round funding and governance periods, as set now. */
    getParameters: () => getParameters(client),

    /** Register a node with stake behind it (one transaction). */
    register: (params: RegisterParameters) => register(client, params),
    /** Deregister a node; the last one queues the whole own stake for decreaseStake. */
    deregister: (params: DeregisterParameters) => deregister(client, params),
    /** Add to the wallet's own stake (one transaction); `{ gasless: true }`: the eth relay pays the gas. */
    increaseStake: (amount: bigint, options?: GaslessOptions) => increaseStake(client, amount, options),
    /** Ask to withdraw own stake after the lockup. */
    requestDecreaseStake: (amount: bigint, options?: WriteOptions) => requestDecreaseStake(client, amount, options),
    /** Withdraw the requested stake once the lockup has ended. */
    decreaseStake: (options?: WriteOptions) => decreaseStake(client, options),
    /** Cancel the pending stake decrease. */
    cancelDecreaseStake: (options?: WriteOptions) => cancelDecreaseStake(client, options),
    /** Move a node to a new endpoint. */
    updateEndpoint: (params: UpdateEndpointParameters) => updateEndpoint(client, params),
    /** Delegate to a service provider (one transaction); `{ gasless: true }`: the eth relay pays the gas. */
    delegate: (serviceProvider: string, amount: bigint, options?: GaslessOptions) => delegate(client, serviceProvider, amount, options),
    /** Ask to withdraw part of a delegation after the lockup. */
    requestUndelegate: (serviceProvider: string, amount: bigint, options?: WriteOptions) => requestUndelegate(client, serviceProvider, amount, options),
    /** Withdraw the requested delegation once the lockup has ended. */
    undelegate: (options?: WriteOptions) => undelegate(client, options),
    /** Cancel the pending undelegation. */
    cancelUndelegate: (options?: WriteOptions) => cancelUndelegate(client, options),
    /** Ask to change the wallet's deployer cut (percent of its delegators' rewards) after the lockup. */
    requestUpdateDeployerCut: (cut: number, options?: WriteOptions) => requestUpdateDeployerCut(client, cut, options),
    /** Apply the requested deployer cut once the lockup has ended. */
    updateDeployerCut: (options?: WriteOptions) => updateDeployerCut(client, options),
    /** Claim the current round's reward of `serviceProvider` (default: the wallet), split with its delegators. */
    claimRewards: (serviceProvider?: string, options?: WriteOptions) => claimRewards(client, serviceProvider, options),
    /** Start the next funding round. */
    initiateRound: (options?: WriteOptions) => initiateRound(client, options),
    /** Send AUDIO from the wallet. */
    transfer: (to: string, amount: bigint, options?: WriteOptions) => transfer(client, to, amount, options),
  };
}

export type { StakingApi } from "./api";

export * from "./reads";
export * from "./serviceProvider";
export * from "./stake";
export * from "./delegation";
export * from "./deployerCut";
export * from "./rewards";
export * from "./transfer";
export * from "./parameters";
export { ethChain, type TransactionResult, type WriteOptions } from "./contracts";
export type { GaslessOptions } from "./gasless";
export { toAsixError, describeRevert, ETH_CONTRACT_ERRORS, KNOWN_REVERTS, type RevertContext } from "./revert";
export { formatAudio, parseAudio, jsonSafe, AUDIO_DECIMALS } from "./units";
