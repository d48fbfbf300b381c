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

import { ETH_CONTRACT_REGISTRY_NAMES } from "./ethContractAbis";

export * from "./ethContractAbis";

/**
 * The eth chain's contracts (PROTOCOL.md §7): each with its compiled bindings (bytecode included,
 * for deployment) and its Registry name; the names and ABI-only views live in ./ethContractAbis. The SDK's
 * staking calls, the devnet's deployment and the services' readers all start from here (services take a
 * contract's bindings as `ETH_CONTRACTS.<name>.factory`, never from typechain-types).
 */
export const ETH_CONTRACTS = {
  /** The Registry: each contract's address under its Registry name. */
  registry: {
    /** Typechain's factory for the contract: its ABI and bytecode, to deploy or connect it. */
    factory: Registry__factory,
    /** The name it is registered under in the Registry. */
    registryName: ETH_CONTRACT_REGISTRY_NAMES.registry,
  },
  /** The ERC-20 token (with EIP-2612 permit) that is staked, delegated and minted as rewards. */
  token: {
    /** Typechain's factory for the contract: its ABI and bytecode, to deploy or connect it. */
    factory: AsixToken__factory,
    /** The name it is registered under in the Registry. */
    registryName: ETH_CONTRACT_REGISTRY_NAMES.token,
  },
  /** ServiceTypeManager: the valid service types, their stake bounds and versions. */
  serviceTypeManager: {
    /** Typechain's factory for the contract: its ABI and bytecode, to deploy or connect it. */
    factory: ServiceTypeManager__factory,
    /** The name it is registered under in the Registry. */
    registryName: ETH_CONTRACT_REGISTRY_NAMES.serviceTypeManager,
  },
  /** Staking: the stake held for each account, with the history governance weighs votes by. */
  staking: {
    /** Typechain's factory for the contract: its ABI and bytecode, to deploy or connect it. */
    factory: Staking__factory,
    /** The name it is registered under in the Registry. */
    registryName: ETH_CONTRACT_REGISTRY_NAMES.staking,
  },
  /** ServiceProviderFactory: registered service providers, their endpoints, deployer stake and deployer cut. */
  serviceProviderFactory: {
    /** Typechain's factory for the contract: its ABI and bytecode, to deploy or connect it. */
    factory: ServiceProviderFactory__factory,
    /** The name it is registered under in the Registry. */
    registryName: ETH_CONTRACT_REGISTRY_NAMES.serviceProviderFactory,
  },
  /** DelegateManager: delegation to service providers, undelegation requests and reward claims. */
  delegateManager: {
    /** Typechain's factory for the contract: its ABI and bytecode, to deploy or connect it. */
    factory: DelegateManager__factory,
    /** The name it is registered under in the Registry. */
    registryName: ETH_CONTRACT_REGISTRY_NAMES.delegateManager,
  },
  /** ClaimsManager: funding rounds and the rewards minted for them. */
  claimsManager: {
    /** Typechain's factory for the contract: its ABI and bytecode, to deploy or connect it. */
    factory: ClaimsManager__factory,
    /** The name it is registered under in the Registry. */
    registryName: ETH_CONTRACT_REGISTRY_NAMES.claimsManager,
  },
  /** Governance: proposals, stake-weighted votes and the guardian's actions on registered contracts. */
  governance: {
    /** Typechain's factory for the contract: its ABI and bytecode, to deploy or connect it. */
    factory: Governance__factory,
    /** The name it is registered under in the Registry. */
    registryName: ETH_CONTRACT_REGISTRY_NAMES.governance,
  },
} as const;

