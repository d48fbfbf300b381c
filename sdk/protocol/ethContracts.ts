import { encodeBytes32String, type ContractRunner } from "ethers";
import {
  AsixToken__factory,
  ClaimsManager__factory,
  DelegateManager__factory,
  Governance__factory,
  Registry__factory,
  ServiceProviderFactory__factory,
  ServiceTypeManager__factory,
  Staking__factory,
} from "../../typechain-types";
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

/**
 * The eth chain's contracts (PROTOCOL.md §7): the one list of them, each by the name its address
 * goes under in address records, with its compiled bindings and its Registry name. The SDK's
 * staking calls, the devnet's deployment and the services' readers all start from here (services take a
 * contract's bindings as `ETH_CONTRACTS.<name>.factory`, never from typechain-types).
 */
export const ETH_CONTRACTS = {
  registry: { factory: Registry__factory, registryName: "Registry" },
  token: { factory: AsixToken__factory, registryName: "Token" },
  serviceTypeManager: { factory: ServiceTypeManager__factory, registryName: "ServiceTypeManager" },
  staking: { factory: Staking__factory, registryName: "Staking" },
  serviceProviderFactory: { factory: ServiceProviderFactory__factory, registryName: "ServiceProviderFactory" },
  delegateManager: { factory: DelegateManager__factory, registryName: "DelegateManager" },
  claimsManager: { factory: ClaimsManager__factory, registryName: "ClaimsManager" },
  governance: { factory: Governance__factory, registryName: "Governance" },
} as const;

/** The name of an eth-chain contract, as in ETH_CONTRACTS. */
export type EthContractName = keyof typeof ETH_CONTRACTS;
/** Every eth-chain contract's name. */
export const ETH_CONTRACT_NAMES = Object.keys(ETH_CONTRACTS) as EthContractName[];

/** Where each eth contract is deployed: `network.ethChain.contracts` and devnet.json's `ethChain.contracts`. */
export type EthContractAddresses = Record<EthContractName, string>;

/** Where each data-chain contract is deployed: devnet.json's `dataChain.contracts`. */
export interface DataContractAddresses {
  /** EntityManager on the data chain */
  entityManager: string;
}

/**
 * Eth contracts connected at their addresses as one runner. Written out (not derived from the
 * factories' `connect`) so that declaration files name these types instead of inlining import()s,
 * which the SDK's bundled declarations could not resolve.
 */
export interface ConnectedEthContracts {
  /** Registry: names every other contract */
  registry: Registry;
  /** AsixToken, the $AUDIO ERC-20 */
  token: AsixToken;
  /** ServiceTypeManager: service types and their stake bounds */
  serviceTypeManager: ServiceTypeManager;
  /** Staking: holds every stake */
  staking: Staking;
  /** ServiceProviderFactory: node registration and own stake */
  serviceProviderFactory: ServiceProviderFactory;
  /** DelegateManager: delegation and reward claims */
  delegateManager: DelegateManager;
  /** ClaimsManager: funding rounds */
  claimsManager: ClaimsManager;
  /** Governance: proposals and votes */
  governance: Governance;
}

/** The `names` contracts (default: all of them), each connected at its address as `runner`. */
export function connectEthContracts<N extends EthContractName = EthContractName>(
  addresses: Pick<EthContractAddresses, N>,
  runner: ContractRunner,
  names: readonly N[] = ETH_CONTRACT_NAMES as N[],
): Pick<ConnectedEthContracts, N> {
  return Object.fromEntries(
    names.map((name) => [name, (ETH_CONTRACTS[name].factory as { connect(address: string, runner: ContractRunner): unknown }).connect(addresses[name], runner)]),
  ) as Pick<ConnectedEthContracts, N>;
}

/** Each contract's Registry key: its Registry name as a bytes32 string. */
export const ETH_REGISTRY_KEYS = Object.fromEntries(
  ETH_CONTRACT_NAMES.map((name) => [name, encodeBytes32String(ETH_CONTRACTS[name].registryName)]),
) as Record<EthContractName, string>;
