import { ZeroAddress } from "ethers";
import { serviceTypeBytes32, signStakingPermit } from "./protocol";
import type { AsixClient } from "../client";
import { AsixError } from "../errors";
import { ethSigner, findEvent, requireAddress, requireAmount, send, txResult, writeBudget, type TransactionResult, type WriteOptions } from "./contracts";
import { requireServiceType, type ServiceType } from "./reads";

/** A node to register and the stake to add behind it. */
export interface RegisterParameters extends WriteOptions {
  /** "content-node" or "discovery-node" */
  type: ServiceType;
  /** the node's public URL; unique across all nodes */
  endpoint: string;
  /** AUDIO added to the operator's stake, wei (0 when the stake already covers the new node) */
  stake: bigint;
  /** the wallet the node signs with (default: the operator) */
  delegateOwnerWallet?: string;
}

export interface RegisterResult extends TransactionResult {
  /** the node's id within its service type */
  spId: number;
  /** the node's service type */
  type: ServiceType;
  /** the node's URL */
  endpoint: string;
  /** the AUDIO staked by this call, wei */
  stake: bigint;
}

function requireEndpoint(value: unknown, what = "endpoint"): string {
  if (typeof value !== "string" || !/^https?:\/\/\S+$/.test(value)) {
    throw new AsixError("INVALID_INPUT", `${what} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Register a node and stake behind it, in one transaction (an EIP-2612 permit moves the tokens). */
export async function register(client: AsixClient, params: RegisterParameters): Promise<RegisterResult> {
  const type = requireServiceType(params?.type);
  const endpoint = requireEndpoint(params.endpoint);
  const stake = requireAmount(params.stake, "stake", true);
  const delegateOwnerWallet = params.delegateOwnerWallet === undefined ? ZeroAddress : requireAddress(params.delegateOwnerWallet, "delegateOwnerWallet");
  const budget = writeBudget(params, "staking.register");
  const { chain, signer, contracts } = ethSigner(client, "staking.register");
  const context = { action: "register", serviceType: type };
  const receipt = await send(
    context,
    signer,
    async () => {
      if (stake === 0n) return contracts.factory.register(serviceTypeBytes32(type), endpoint, 0n, delegateOwnerWallet);
      const permit = await signStakingPermit(signer, chain.addresses, stake);
      return contracts.factory.registerWithPermit(serviceTypeBytes32(type), endpoint, stake, delegateOwnerWallet, permit);
    },
    budget,
  );
  const event = findEvent(receipt, contracts.factory.interface, chain.addresses.serviceProviderFactory, "RegisteredServiceProvider");
  return { ...txResult(receipt), spId: Number(event.args.spId), type, endpoint, stake };
}

/** The node to deregister. */
export interface DeregisterParameters extends WriteOptions {
  /** the node's service type */
  type: ServiceType;
  /** the node's URL */
  endpoint: string;
}

export interface DeregisterResult extends TransactionResult {
  /** the deregistered node's id */
  spId: number;
  /** the operator's stake queued for withdrawal when this was its last node, wei (else 0) */
  unstakeAmount: bigint;
}

/** Deregister one of the wallet's nodes. Its last node queues the whole own stake for decreaseStake. */
export async function deregister(client: AsixClient, params: DeregisterParameters): Promise<DeregisterResult> {
  const type = requireServiceType(params?.type);
  const endpoint = requireEndpoint(params.endpoint);
  const budget = writeBudget(params, "staking.deregister");
  const { chain, signer, contracts } = ethSigner(client, "staking.deregister");
  const receipt = await send({ action: "deregister", serviceType: type }, signer, () => contracts.factory.deregister(serviceTypeBytes32(type), endpoint), budget);
  const event = findEvent(receipt, contracts.factory.interface, chain.addresses.serviceProviderFactory, "DeregisteredServiceProvider");
  return { ...txResult(receipt), spId: Number(event.args.spId), unstakeAmount: event.args.unstakeAmount as bigint };
}

/** A node's current endpoint and the new one. */
export interface UpdateEndpointParameters extends WriteOptions {
  /** the node's service type */
  type: ServiceType;
  /** the URL it is registered at */
  oldEndpoint: string;
  /** the URL to move it to; not taken by another node */
  newEndpoint: string;
}

/** Move one of the wallet's nodes to a new URL; its spId stays. */
export async function updateEndpoint(client: AsixClient, params: UpdateEndpointParameters): Promise<
  TransactionResult & {
    /** the node's service provider id, unchanged */
    spId: number;
  }
> {
  const type = requireServiceType(params?.type);
  const oldEndpoint = requireEndpoint(params.oldEndpoint, "oldEndpoint");
  const newEndpoint = requireEndpoint(params.newEndpoint, "newEndpoint");
  const budget = writeBudget(params, "staking.updateEndpoint");
  const { chain, signer, contracts } = ethSigner(client, "staking.updateEndpoint");
  const receipt = await send(
    { action: "updateEndpoint", serviceType: type },
    signer,
    () => contracts.factory.updateEndpoint(serviceTypeBytes32(type), oldEndpoint, newEndpoint),
    budget,
  );
  const event = findEvent(receipt, contracts.factory.interface, chain.addresses.serviceProviderFactory, "EndpointUpdated");
  return { ...txResult(receipt), spId: Number(event.args.spId) };
}
