import { AsixToken__factory } from "../../typechain-types";
import type { PermitSignatureStruct } from "../../typechain-types/eth-contracts/ServiceProviderFactory";
import { Signature, encodeBytes32String, type Signer, type TypedDataDomain } from "ethers";

/**
 * Eth-chain protocol constants and the staking permit, shared by the SDK and the devnet's
 * deployment (one home: the SDK, which never imports devnet/).
 */

/** The Registry keys (bytes32 strings) under which the contracts find each other. */
export const ETH_REGISTRY_KEYS = {
  /** the Registry itself, so that proposals can add and upgrade contracts */
  registry: encodeBytes32String("Registry"),
  token: encodeBytes32String("Token"),
  serviceTypeManager: encodeBytes32String("ServiceTypeManager"),
  staking: encodeBytes32String("Staking"),
  serviceProviderFactory: encodeBytes32String("ServiceProviderFactory"),
  delegateManager: encodeBytes32String("DelegateManager"),
  claimsManager: encodeBytes32String("ClaimsManager"),
  governance: encodeBytes32String("Governance"),
} as const;

export type ServiceTypeName = "content-node" | "discovery-node";

/** A service type as the contracts store it: its name as a bytes32 string. */
export function serviceTypeBytes32(serviceType: ServiceTypeName): string {
  return encodeBytes32String(serviceType);
}

/**
 * Sign an EIP-2612 permit letting the Staking contract pull `amount` of `owner`'s AUDIO, in the
 * shape the `...WithPermit` entry points take.
 */
export async function signStakingPermit(
  owner: Signer,
  contracts: { token: string; staking: string },
  amount: bigint,
  deadline?: bigint,
): Promise<PermitSignatureStruct> {
  const token = AsixToken__factory.connect(contracts.token, owner);
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
  Permit: [
    { name: "owner", type: "address" },
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
