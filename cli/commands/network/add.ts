import { Args, Flags } from "@oclif/core";
import { getAddress, JsonRpcProvider, ZeroAddress } from "ethers";
import { AsixCommand } from "../../base";
import { AsixError } from "../../../sdk/errors";
import type { NetworkConfig } from "../../../sdk/network";
import { ETH_CONTRACT_NAMES, ETH_REGISTRY_KEYS, ETH_CONTRACTS, type EthContractAddresses } from "../../../sdk/protocol/ethContracts";
import { readCaFile, saveProfile, useNetwork } from "../../networks";

export default class NetworkAdd extends AsixCommand {
  static description =
    "Save a named network profile (a testnet, production or another devnet): service URLs, the data chain's EntityManager, and the eth chain's Registry (the other eth contracts are read from it now)";
  static examples = [
    "<%= config.bin %> network add staging --discovery-url https://dn.staging.example --identity-url https://id.staging.example --data-rpc https://data.staging.example --entity-manager 0x… --eth-rpc https://eth.staging.example --registry 0x… --use",
    {
      description: '--json prints {"name": "staging", "network": {"discoveryUrl": "…", "identityUrl": "…", "contentNodes": [...], "dataChain": {...}, "ethChain": {...}}, "current": true}',
      command: "<%= config.bin %> network add staging --discovery-url https://dn.staging.example --data-rpc https://data.staging.example --entity-manager 0x… --json",
    },
  ];
  static args = { name: Args.string({ description: "profile name ([A-Za-z0-9_.-], not \"devnet\")", required: true }) };
  static flags = {
    "discovery-url": Flags.string({ description: "a discovery node", required: true }),
    "identity-url": Flags.string({ description: "the identity service (for login)" }),
    "content-node": Flags.string({ description: "a content node to upload to (repeat; default: the ones the discovery node lists)", multiple: true }),
    "data-rpc": Flags.string({ description: "data chain JSON-RPC URL" }),
    "data-chain-id": Flags.integer({ description: "data chain id (default: asked from --data-rpc)" }),
    "entity-manager": Flags.string({ description: "EntityManager address on the data chain", required: true }),
    "eth-rpc": Flags.string({ description: "eth chain JSON-RPC URL (for token, staking and governance)", dependsOn: ["registry"] }),
    "eth-chain-id": Flags.integer({ description: "eth chain id (default: asked from --eth-rpc)" }),
    registry: Flags.string({ description: "Registry address on the eth chain", dependsOn: ["eth-rpc"] }),
    "ca-file": Flags.string({ description: "PEM CA certificate the network's HTTPS services chain to (a private network's or a `devnet up --tls` devnet's); trusted for this profile only" }),
    use: Flags.boolean({ description: "make it the network commands use by default" }),
    force: Flags.boolean({ description: "replace a profile of the same name" }),
  };

  async run() {
    const { args, flags } = await this.parse(NetworkAdd);
    const dataChainId = flags["data-chain-id"] ?? (flags["data-rpc"] ? await chainIdOf(flags["data-rpc"]) : undefined);
    if (dataChainId === undefined) this.error("pass --data-chain-id or --data-rpc (the chain id is part of what users sign)", { exit: 2 });
    const config: NetworkConfig = {
      discoveryUrl: flags["discovery-url"],
      identityUrl: flags["identity-url"],
      contentNodes: flags["content-node"],
      dataChain: { chainId: dataChainId, entityManagerAddress: flags["entity-manager"], rpcUrl: flags["data-rpc"] },
    };
    if (flags["eth-rpc"] && flags.registry) {
      const chainId = flags["eth-chain-id"] ?? (await chainIdOf(flags["eth-rpc"]));
      config.ethChain = { chainId, rpcUrl: flags["eth-rpc"], contracts: await contractsFromRegistry(flags["eth-rpc"], chainId, flags.registry) };
    }
    const caPem = flags["ca-file"] === undefined ? undefined : readCaFile(flags["ca-file"]);
    saveProfile(args.name, config, flags.force, caPem);
    if (flags.use) useNetwork(args.name);
    this.log(`Saved network "${args.name}"${flags.use ? " (now in use)" : ` (use it with --network ${args.name} or \`asix network use ${args.name}\`)`}`);
    return { name: args.name, network: config, current: flags.use, trustsCa: caPem !== undefined };
  }
}

async function chainIdOf(rpcUrl: string): Promise<number> {
  const provider = new JsonRpcProvider(rpcUrl);
  try {
    return Number((await provider.getNetwork()).chainId);
  } catch (cause) {
    throw new AsixError("NODE_UNAVAILABLE", `cannot read the chain id from ${rpcUrl}: ${(cause as Error).message}`, { cause });
  } finally {
    provider.destroy();
  }
}

/** Every eth contract's address as the Registry names it, so a profile needs only the Registry's. */
async function contractsFromRegistry(rpcUrl: string, chainId: number, registryAddress: string): Promise<EthContractAddresses> {
  const provider = new JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true });
  try {
    const registry = ETH_CONTRACTS.registry.factory.connect(getAddress(registryAddress), provider);
    const contracts = { registry: await registry.getAddress() } as EthContractAddresses;
    for (const name of ETH_CONTRACT_NAMES.filter((n) => n !== "registry")) {
      const address = await registry.getContract(ETH_REGISTRY_KEYS[name]);
      if (address === ZeroAddress) throw new AsixError("NOT_FOUND", `the Registry at ${registryAddress} has no ${ETH_CONTRACTS[name].registryName}`);
      contracts[name] = address;
    }
    return contracts;
  } catch (cause) {
    if (cause instanceof AsixError) throw cause;
    throw new AsixError("NODE_UNAVAILABLE", `cannot read the Registry at ${registryAddress} on ${rpcUrl}: ${(cause as Error).message}`, { cause });
  } finally {
    provider.destroy();
  }
}
