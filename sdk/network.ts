import { AsixError } from "./errors";
import type { DataContractAddresses, EthContractAddresses } from "./protocol/ethContractAbis";

/** Where an Asix+ network lives. Any URL works: nothing here assumes localhost. */
export interface NetworkConfig {
  /** A discovery node: reads, unclaimed ids, block confirmations, and /relay. */
  discoveryUrl: string;
  /** Content nodes to upload to; when omitted, the discovery node's /health_check lists them. */
  contentNodes?: string[];
  /** The identity service (wallet auth). Relays go through the discovery node either way. */
  identityUrl?: string;
  /** The data chain, for signing (chain id and EntityManager are the EIP-712 domain). */
  dataChain: { chainId: number; entityManagerAddress: string; rpcUrl?: string };
  /** The eth chain (token and staking), for staking calls. */
  ethChain?: { chainId: number; rpcUrl: string; contracts?: Partial<EthContractAddresses> };
}

/** The shape `startDevnet()` returns and `devnet.json` holds; `createAsix` accepts it directly. */
export interface DevnetDescriptor {
  dataChain: { url: string; chainId: number; contracts: DataContractAddresses };
  ethChain: { url: string; chainId: number; contracts: EthContractAddresses };
  services: { discovery: string[]; identity: string; contentNodes: string[] };
}

function isDevnetDescriptor(x: unknown): x is DevnetDescriptor {
  const d = x as DevnetDescriptor;
  return !!d && typeof d === "object" && !!d.services && !!d.dataChain?.contracts;
}

/** Accept explicit URLs or a devnet descriptor, and check that what is needed is there. */
export function resolveNetwork(input: NetworkConfig | DevnetDescriptor): NetworkConfig {
  const config: NetworkConfig = isDevnetDescriptor(input)
    ? {
        discoveryUrl: input.services.discovery[0],
        contentNodes: input.services.contentNodes,
        identityUrl: input.services.identity,
        dataChain: { chainId: input.dataChain.chainId, entityManagerAddress: input.dataChain.contracts.entityManager, rpcUrl: input.dataChain.url },
        ethChain: { chainId: input.ethChain.chainId, rpcUrl: input.ethChain.url, contracts: input.ethChain.contracts },
      }
    : input;
  if (!config || typeof config.discoveryUrl !== "string" || !/^https?:\/\//.test(config.discoveryUrl)) {
    throw new AsixError("INVALID_INPUT", "network.discoveryUrl must be an http(s) URL");
  }
  if (!config.dataChain || !Number.isSafeInteger(config.dataChain.chainId) || !/^0x[0-9a-fA-F]{40}$/.test(config.dataChain.entityManagerAddress ?? "")) {
    throw new AsixError("INVALID_INPUT", "network.dataChain needs chainId and entityManagerAddress");
  }
  return { ...config, discoveryUrl: config.discoveryUrl.replace(/\/+$/, "") };
}
