import { Contract, encodeBytes32String, type ContractRunner } from "ethers";
import type {
  AsixToken,
  ClaimsManager,
  DelegateManager,
  Governance,
  Registry,
  ServiceProviderFactory,
  ServiceTypeManager,
  Staking,
} from "../../typechain-types";
import { ETH_CONTRACT_ABIS } from "./ethAbis";

/**
 * The eth chain's contracts as the SDK uses them (PROTOCOL.md §7): each by the name its address
 * goes under in address records, its Registry name, and its ABI without bytecode (./ethAbis,
 * generated from the artifacts), so that staking code and browser bundles do not carry the
 * deployable bindings. ./ethContracts adds typechain's factories (with bytecode) for deployment.
 */
export const ETH_CONTRACT_REGISTRY_NAMES = {
  /** The name the Registry is registered under. */
  registry: "Registry",
  /** The name the ERC-20 token is registered under. */
  token: "Token",
  /** The name ServiceTypeManager is registered under. */
  serviceTypeManager: "ServiceTypeManager",
  /** The name Staking is registered under. */
  staking: "Staking",
  /** The name ServiceProviderFactory is registered under. */
  serviceProviderFactory: "ServiceProviderFactory",
  /** The name DelegateManager is registered under. */
  delegateManager: "DelegateManager",
  /** The name ClaimsManager is registered under. */
  claimsManager: "ClaimsManager",
  /** The name Governance is registered under. */
  governance: "Governance",
} as const;

/** The name of an eth-chain contract (registry, token, staking, ...). */
export type EthContractName = keyof typeof ETH_CONTRACT_REGISTRY_NAMES;
/** Every eth-chain contract's name. */
export const ETH_CONTRACT_NAMES = Object.keys(ETH_CONTRACT_REGISTRY_NAMES) as EthContractName[];
export { ETH_CONTRACT_ABIS };

/** Where each eth contract is deployed: `network.ethChain.contracts` and devnet.json's `ethChain.contracts`. */
export type EthContractAddresses = Record<EthContractName, string>;

/** Where each data-chain contract is deployed: devnet.json's `dataChain.contracts`. */
export interface DataContractAddresses {
  /** The EntityManager contract, through which every user, track, playlist and social action is written. */
  entityManager: string;
}

/**
 * Eth contracts connected at their addresses as one runner. Written out (not derived from the
 * factories' `connect`) so that declaration files name these types instead of inlining import()s,
 * which the SDK's bundled declarations could not resolve.
 */
export interface ConnectedEthContracts {
  /** The Registry: each contract's address under its Registry name. */
  registry: Registry;
  /** The ERC-20 token (with EIP-2612 permit) that is staked, delegated and minted as rewards. */
  token: AsixToken;
  /** ServiceTypeManager: the valid service types, their stake bounds and versions. */
  serviceTypeManager: ServiceTypeManager;
  /** Staking: the stake held for each account, with the history governance weighs votes by. */
  staking: Staking;
  /** ServiceProviderFactory: registered service providers, their endpoints, deployer stake and deployer cut. */
  serviceProviderFactory: ServiceProviderFactory;
  /** DelegateManager: delegation to service providers, undelegation requests and reward claims. */
  delegateManager: DelegateManager;
  /** ClaimsManager: funding rounds and the rewards minted for them. */
  claimsManager: ClaimsManager;
  /** Governance: proposals, stake-weighted votes and the guardian's actions on registered contracts. */
  governance: Governance;
}

/** The `names` contracts (default: all of them), each connected at its address as `runner`. */
export function connectEthContracts<N extends EthContractName = EthContractName>(
  addresses: Pick<EthContractAddresses, N>,
  runner: ContractRunner,
  names: readonly N[] = ETH_CONTRACT_NAMES as N[],
): Pick<ConnectedEthContracts, N> {
  return Object.fromEntries(
    names.map((name) => [name, new Contract(addresses[name], ETH_CONTRACT_ABIS[name], runner)]),
  ) as unknown as Pick<ConnectedEthContracts, N>;
}

/** Each contract's Registry key: its Registry name as a bytes32 string. */
export const ETH_REGISTRY_KEYS = Object.fromEntries(
  ETH_CONTRACT_NAMES.map((name) => [name, encodeBytes32String(ETH_CONTRACT_REGISTRY_NAMES[name])]),
) as Record<EthContractName, string>;
