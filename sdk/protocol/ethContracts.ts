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
  registry: { factory: Registry__factory, registryName: ETH_CONTRACT_REGISTRY_NAMES.registry },
  token: { factory: AsixToken__factory, registryName: ETH_CONTRACT_REGISTRY_NAMES.token },
  serviceTypeManager: { factory: ServiceTypeManager__factory, registryName: ETH_CONTRACT_REGISTRY_NAMES.serviceTypeManager },
  staking: { factory: Staking__factory, registryName: ETH_CONTRACT_REGISTRY_NAMES.staking },
  serviceProviderFactory: { factory: ServiceProviderFactory__factory, registryName: ETH_CONTRACT_REGISTRY_NAMES.serviceProviderFactory },
  delegateManager: { factory: DelegateManager__factory, registryName: ETH_CONTRACT_REGISTRY_NAMES.delegateManager },
  claimsManager: { factory: ClaimsManager__factory, registryName: ETH_CONTRACT_REGISTRY_NAMES.claimsManager },
  governance: { factory: Governance__factory, registryName: ETH_CONTRACT_REGISTRY_NAMES.governance },
} as const;

