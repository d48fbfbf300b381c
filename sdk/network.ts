import { AsixError } from "./errors";
import type { DataContractAddresses, EthContractAddresses } from "./protocol/ethContractAbis";

/** Where an Asix+ network lives. Any URL works: nothing here assumes localhost. */
export interface NetworkConfig {
  /** A discovery node: reads, unclaimed ids, block confirmations, and /relay. Kept as the first of `discoveryNodes`. */
  discoveryUrl?: string;
  /**
   * Discovery nodes to choose among by health, version, freshness and speed (sdk/selection). When
   * neither this nor `discoveryUrl` is given, they come from the eth chain's registry
   * (`ethChain.contracts.serviceProviderFactory`).
   */
  discoveryNodes?: string[];
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
        discoveryNodes: input.services.discovery,
        contentNodes: input.services.contentNodes,
        identityUrl: input.services.identity,
        dataChain: { chainId: input.dataChain.chainId, entityManagerAddress: input.dataChain.contracts.entityManager, rpcUrl: input.dataChain.url },
        ethChain: { chainId: input.ethChain.chainId, rpcUrl: input.ethChain.url, contracts: input.ethChain.contracts },
      }
    : input;
  if (!config || typeof config !== "object") throw new AsixError("INVALID_INPUT", "network must be an object");
  if (config.discoveryNodes !== undefined && !Array.isArray(config.discoveryNodes)) {
    throw new AsixError("INVALID_INPUT", "network.discoveryNodes must be an array of http(s) URLs");
  }
  const given = [...(config.discoveryUrl !== undefined ? [config.discoveryUrl] : []), ...(config.discoveryNodes ?? [])];
  for (const url of given) {
    if (typeof url !== "string" || !/^https?:\/\//.test(url)) throw new AsixError("INVALID_INPUT", `discovery node ${JSON.stringify(url)} must be an http(s) URL`);
  }
  const discoveryNodes = [...new Set(given.map((url) => url.replace(/\/+$/, "")))];
  if (discoveryNodes.length === 0 && !config.ethChain?.contracts?.serviceProviderFactory) {
    throw new AsixError("INVALID_INPUT", "network needs discoveryUrl, discoveryNodes, or ethChain.contracts.serviceProviderFactory to find discovery nodes");
  }
  if (!config.dataChain || !Number.isSafeInteger(config.dataChain.chainId) || !/^0x[0-9a-fA-F]{40}$/.test(config.dataChain.entityManagerAddress ?? "")) {
    throw new AsixError("INVALID_INPUT", "network.dataChain needs chainId and entityManagerAddress");
  }
  return { ...config, discoveryUrl: discoveryNodes[0], discoveryNodes };
}
