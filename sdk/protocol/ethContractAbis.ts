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
  registry: "Registry",
  token: "Token",
  serviceTypeManager: "ServiceTypeManager",
  staking: "Staking",
  serviceProviderFactory: "ServiceProviderFactory",
  delegateManager: "DelegateManager",
  claimsManager: "ClaimsManager",
  governance: "Governance",
} as const;

export type EthContractName = keyof typeof ETH_CONTRACT_REGISTRY_NAMES;
export const ETH_CONTRACT_NAMES = Object.keys(ETH_CONTRACT_REGISTRY_NAMES) as EthContractName[];
export { ETH_CONTRACT_ABIS };

/** Where each eth contract is deployed: `network.ethChain.contracts` and devnet.json's `ethChain.contracts`. */
export type EthContractAddresses = Record<EthContractName, string>;

/** Where each data-chain contract is deployed: devnet.json's `dataChain.contracts`. */
export interface DataContractAddresses {
  entityManager: string;
}

/**
 * Eth contracts connected at their addresses as one runner. Written out (not derived from the
 * factories' `connect`) so that declaration files name these types instead of inlining import()s,
 * which the SDK's bundled declarations could not resolve.
 */
export interface ConnectedEthContracts {
  registry: Registry;
  token: AsixToken;
  serviceTypeManager: ServiceTypeManager;
  staking: Staking;
  serviceProviderFactory: ServiceProviderFactory;
  delegateManager: DelegateManager;
  claimsManager: ClaimsManager;
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
