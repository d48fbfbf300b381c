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
  dataChain: {
    /** The data chain's chain id (EIP-712 domain `chainId`). */
    chainId: number;
    /** The EntityManager contract's address (EIP-712 domain `verifyingContract`). */
    entityManagerAddress: string;
    /** The data chain's JSON-RPC URL, for reading it directly; writes go through the discovery node's relay. */
    rpcUrl?: string;
  };
  /** The eth chain (token and staking), for staking calls. */
  ethChain?: {
    /** The eth chain's chain id, which staking signatures are bound to. */
    chainId: number;
    /** The eth chain's JSON-RPC URL. */
    rpcUrl: string;
    /** Where the eth contracts are deployed: staking calls need all but `registry`; `serviceProviderFactory` alone lets the SDK find discovery nodes. */
    contracts?: Partial<EthContractAddresses>;
  };
}

/** The shape `startDevnet()` returns and `devnet.json` holds; `createAsix` accepts it directly. */
export interface DevnetDescriptor {
  /** The data chain (users, tracks, playlists and social actions go through its EntityManager). */
  dataChain: {
    /** The data chain's JSON-RPC URL. */
    url: string;
    /** The data chain's chain id. */
    chainId: number;
    /** Where the data chain's contracts are deployed. */
    contracts: DataContractAddresses;
  };
  /** The eth chain (token, staking, governance). */
  ethChain: {
    /** The eth chain's JSON-RPC URL. */
    url: string;
    /** The eth chain's chain id. */
    chainId: number;
    /** Where each eth contract is deployed. */
    contracts: EthContractAddresses;
  };
  /** The services' base URLs. */
  services: {
    /** The discovery nodes' base URLs. */
    discovery: string[];
    /** The identity service's base URL. */
    identity: string;
    /** The content nodes' base URLs. */
    contentNodes: string[];
  };
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
