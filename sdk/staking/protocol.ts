import { connectEthContracts, ETH_REGISTRY_KEYS, type EthContractAddresses } from "../protocol/ethContractAbis";
import type { ServiceTypeName } from "../protocol/nodes";
import type { PermitSignatureStruct } from "../../typechain-types/eth-contracts/ServiceProviderFactory";
import { Signature, type Signer, type TypedDataDomain } from "ethers";
import { bytes32String } from "../eth/bytes";

/**
 * Eth-chain protocol constants and the staking permit, shared by the SDK and the devnet's
 * deployment (one home: the SDK, which never imports devnet/).
 */

/** The Registry keys (bytes32 strings) under which the contracts find each other. */
export { ETH_REGISTRY_KEYS };

export type { ServiceTypeName };

/** A service type as the contracts store it: its name as a bytes32 string. */
export function serviceTypeBytes32(serviceType: ServiceTypeName): string {
  return bytes32String(serviceType);
}

/**
 * Sign an EIP-2612 permit letting the Staking contract pull `amount` of `owner`'s AUDIO, in the
 * shape the `...WithPermit` entry points take.
 */
export async function signStakingPermit(
  owner: Signer,
  contracts: Pick<EthContractAddresses, "token" | "staking">,
  amount: bigint,
  deadline?: bigint,
): Promise<PermitSignatureStruct> {
  const token = connectEthContracts(contracts, owner, ["token"]).token;
  const ownerAddress = await owner.getAddress();
  const [nonce, network] = await Promise.all([token.nonces(ownerAddress), owner.provider!.getNetwork()]);
  const latest = await owner.provider!.getBlock("latest");
  const validUntil = deadline ?? BigInt(latest!.timestamp) + 3600n;
  const domain = permitDomain(network.chainId, contracts.token);
  const types = PERMIT_TYPES;
  const message = { owner: ownerAddress, spender: contracts.staking, value: amount, nonce, deadline: validUntil };
  const signature = Signature.from(await owner.signTypedData(domain, types, message));
  return { deadline: validUntil, v: signature.v, r: signature.r, s: signature.s };
}

/** EIP-2612 permit types of AsixToken (ERC20Permit). */
export const PERMIT_TYPES = {
  /** The EIP-2612 Permit struct's fields, in typehash order. */
  Permit: [
    {
      /** the field's name in the message */
      name: "owner",
      /** the field's EIP-712 type */
      type: "address",
    },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** AsixToken's EIP-712 domain (ERC20Permit uses the token name "Asix", version "1"). */
export function permitDomain(chainId: bigint | number, token: string): TypedDataDomain {
  return { name: "Asix", version: "1", chainId, verifyingContract: token };
}

/**
 * Gasless staking: the contracts act for an account on its EIP-712 signature of one of these
 * messages (plus its permit), so that a relayer can send the transaction and pay the gas.
 * DelegateManager.delegateStakeFor and ServiceProviderFactory.increaseStakeFor check them; each
 * contract is its own domain and keeps its own nonces (`nonces(account)`).
 */
export const DELEGATE_STAKE_TYPES = {
  /** The DelegateStake struct's fields, in typehash order. */
  DelegateStake: [
    {
      /** the field's name in the message */
      name: "delegator",
      /** the field's EIP-712 type */
      type: "address",
    },
    { name: "serviceProvider", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** See DELEGATE_STAKE_TYPES. */
export const INCREASE_STAKE_TYPES = {
  /** The IncreaseStake struct's fields, in typehash order. */
  IncreaseStake: [
    {
      /** the field's name in the message */
      name: "owner",
      /** the field's EIP-712 type */
      type: "address",
    },
    { name: "amount", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** A delegation signed for DelegateManager.delegateStakeFor. */
export interface DelegateStakeMessage {
  /** who delegates (and signs) */
  delegator: string;
  /** the operator delegated to */
  serviceProvider: string;
  /** wei */
  amount: bigint;
  /** the delegator's nonce at DelegateManager */
  nonce: bigint;
  /** unix seconds */
  deadline: bigint;
}

/** A stake increase signed for ServiceProviderFactory.increaseStakeFor. */
export interface IncreaseStakeMessage {
  /** the operator (who signs) */
  owner: string;
  /** wei */
  amount: bigint;
  /** the operator's nonce at ServiceProviderFactory */
  nonce: bigint;
  /** unix seconds */
  deadline: bigint;
}

/** DelegateManager's EIP-712 domain. */
export function delegateManagerDomain(chainId: bigint | number, delegateManager: string): TypedDataDomain {
  return { name: "DelegateManager", version: "1", chainId, verifyingContract: delegateManager };
}

/** ServiceProviderFactory's EIP-712 domain. */
export function serviceProviderFactoryDomain(chainId: bigint | number, serviceProviderFactory: string): TypedDataDomain {
  return { name: "ServiceProviderFactory", version: "1", chainId, verifyingContract: serviceProviderFactory };
}

/** A signed call ready for anyone to send: `to` and calldata `data`. */
export interface SignedStakingCall {
  /** the contract to call */
  to: string;
  /** the calldata, signatures included */
  data: string;
  /** the account's nonce the signature uses */
  nonce: bigint;
  /** unix seconds; the permit's deadline too */
  deadline: bigint;
}

/** The contracts a gasless staking call touches. */
export type GaslessContracts = Pick<EthContractAddresses, "token" | "staking" | "delegateManager" | "serviceProviderFactory">;

async function gaslessContext(signer: Signer, deadline?: bigint) {
  const [address, network, latest] = await Promise.all([signer.getAddress(), signer.provider!.getNetwork(), signer.provider!.getBlock("latest")]);
  return { address, chainId: network.chainId, deadline: deadline ?? BigInt(latest!.timestamp) + 3600n };
}

/** Sign a permit and a DelegateStake message, and encode the delegateStakeFor call that carries them. */
export async function signDelegateStakeFor(
  delegator: Signer,
  contracts: GaslessContracts,
  serviceProvider: string,
  amount: bigint,
  deadline?: bigint,
): Promise<SignedStakingCall> {
  const ctx = await gaslessContext(delegator, deadline);
  const delegateManager = connectEthContracts(contracts, delegator, ["delegateManager"]).delegateManager;
  const [nonce, permit] = await Promise.all([delegateManager.nonces(ctx.address), signStakingPermit(delegator, contracts, amount, ctx.deadline)]);
  const message: DelegateStakeMessage = { delegator: ctx.address, serviceProvider, amount, nonce, deadline: ctx.deadline };
  const signature = await delegator.signTypedData(delegateManagerDomain(ctx.chainId, contracts.delegateManager), DELEGATE_STAKE_TYPES, message);
  const data = delegateManager.interface.encodeFunctionData("delegateStakeFor", [ctx.address, serviceProvider, amount, permit, nonce, ctx.deadline, signature]);
  return { to: contracts.delegateManager, data, nonce, deadline: ctx.deadline };
}

/** Sign a permit and an IncreaseStake message, and encode the increaseStakeFor call that carries them. */
export async function signIncreaseStakeFor(owner: Signer, contracts: GaslessContracts, amount: bigint, deadline?: bigint): Promise<SignedStakingCall> {
  const ctx = await gaslessContext(owner, deadline);
  const factory = connectEthContracts(contracts, owner, ["serviceProviderFactory"]).serviceProviderFactory;
  const [nonce, permit] = await Promise.all([factory.nonces(ctx.address), signStakingPermit(owner, contracts, amount, ctx.deadline)]);
  const message: IncreaseStakeMessage = { owner: ctx.address, amount, nonce, deadline: ctx.deadline };
  const signature = await owner.signTypedData(serviceProviderFactoryDomain(ctx.chainId, contracts.serviceProviderFactory), INCREASE_STAKE_TYPES, message);
  const data = factory.interface.encodeFunctionData("increaseStakeFor", [ctx.address, amount, permit, nonce, ctx.deadline, signature]);
  return { to: contracts.serviceProviderFactory, data, nonce, deadline: ctx.deadline };
}
