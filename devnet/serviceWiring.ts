import path from "node:path";
import { DEVNET_ROLES, devnetPrivateKey, discoveryOperatorIndex } from "./accounts";
import { DATA_CHAIN_ID, ETH_CHAIN_ID, type DevnetChains } from "./chains";
import type { LogFiles } from "./logFiles";
import { startDevnetOAuth, type DevnetOAuth } from "./oauthProvider";
import type { StartDevnetOptions } from "./options";
import { portOf, startPart, type Teardown } from "./teardown";
import type { DevnetTopology } from "./topology";
import type { ServiceDirectory } from "./services/serviceDirectory";
import type { ServeOptions } from "./services/http";
import { startContentNode, type ContentNodeConfig, type RunningContentNode } from "./services/content-node";
import { startDiscoveryNode, type DiscoveryNodeConfig, type RunningDiscoveryNode } from "./services/discovery-node";
import { startIdentityService, type IdentityServiceConfig, type RunningIdentityService } from "./services/identity-service";

/**
 * Every client of a devnet is 127.0.0.1, so the identity service's per-IP limits would be shared by
 * every script, test and app on the machine. A devnet lifts them; the per-signer and per-key limits
 * stay as they are on a real network.
 */
const LIFTED = 1_000_000_000;
const DEVNET_IP_LIMITS = {
  ipRateLimits: { CreateUser: LIFTED, default: LIFTED },
  requestLimits: { perIp: { authRead: LIFTED, authWrite: LIFTED, emailCheck: LIFTED, emailLink: LIFTED, relay: LIFTED, verification: LIFTED } },
  ethRelayIpHourlyLimit: LIFTED,
};

interface Wiring {
  dir: string;
  chains: DevnetChains;
  logs: LogFiles;
  teardown: Teardown;
  /** how every service serves: HTTPS with the devnet CA's certificate under --tls */
  serve?: ServeOptions;
}

/**
 * The identity service and the devnet's own OAuth provider (a stand-in for the social networks).
 * The identity service asks the discovery nodes who owns a user before paying for an action; it
 * reads `discoveryUrls` when it needs them, as they start after it.
 */
export async function startIdentity(
  w: Wiring,
  ports: { identity: number; oauthProvider: number },
  discoveryUrls: string[],
): Promise<{ identity: RunningIdentityService; oauth: DevnetOAuth; set: NodeSet<IdentityServiceConfig, RunningIdentityService> }> {
  const { chains } = w;
  const oauth = await startPart("OAuth provider", ports.oauthProvider, () => startDevnetOAuth({ port: ports.oauthProvider, log: w.logs.logger("oauth-provider") }));
  w.teardown.add(() => oauth.provider.stop());
  const config: IdentityServiceConfig = {
    serve: w.serve,
    dir: path.join(w.dir, "data", "identity-service"),
    port: ports.identity,
    // the relay calls the data chain in process, not over HTTP: the chain runs in this process
    dataChain: { ...dataChainConfig(chains), inProcess: chains.dataChain.provider },
    ethChain: {
      rpcUrl: chains.ethChain.url,
      chainId: ETH_CHAIN_ID,
      tokenAddress: chains.eth.token,
      stakingAddress: chains.eth.staking,
      delegateManagerAddress: chains.eth.delegateManager,
      serviceProviderFactoryAddress: chains.eth.serviceProviderFactory,
    },
    relayerPrivateKeys: DEVNET_ROLES.relayers.map(devnetPrivateKey),
    discoveryNodes: () => discoveryUrls,
    ...DEVNET_IP_LIMITS,
    verifierPrivateKey: devnetPrivateKey(DEVNET_ROLES.verifier),
    oauth: oauth.oauth,
    log: w.logs.logger("identity-service"),
  };
  const identity = await startPart("identity service", ports.identity, () => startIdentityService(config));
  // A snapshot restore restarts it from `config` on the same port: the teardown stops whichever instance is current.
  config.port = portOf(identity.url);
  const set: NodeSet<IdentityServiceConfig, RunningIdentityService> = { configs: [config], nodes: [identity], urls: [identity.url] };
  w.teardown.add(() => Promise.all(set.nodes.map((n) => n.stop())).then(() => undefined));
  oauth.register(identity.url);
  return { identity, oauth, set };
}

/** A started node of some kind, restartable from its config on the same port with the same data. */
export interface NodeSet<Config, Node> {
  configs: Config[];
  nodes: Node[];
  urls: string[];
}

/** Content nodes learn their peers, and whose stream signatures to accept, from the eth chain's registry. */
export async function startContentNodes(
  w: Wiring,
  opts: { ports: number[]; topology: DevnetTopology; uploadLimits: StartDevnetOptions["uploadLimits"]; directory: ServiceDirectory },
): Promise<NodeSet<ContentNodeConfig, RunningContentNode>> {
  const { directory } = opts;
  const configs: ContentNodeConfig[] = Array.from({ length: opts.topology.contentNodes }, (_, i) => ({
    serve: w.serve,
    dir: path.join(w.dir, "data", `content-node-${i + 1}`),
    port: opts.ports[i] || undefined,
    privateKey: devnetPrivateKey(DEVNET_ROLES.contentNodes[i]),
    replicationFactor: opts.topology.replicationFactor,
    // Per address means per machine here, as for the identity service's per-IP limits above: the
    // uploads a minute are lifted (the seed alone starts ~220), the uploads at once stay as set.
    uploadLimits: { perIpPerMinute: LIFTED, ...opts.uploadLimits },
    // Short on the devnet: a restarted node gets its missing copies back within a second or two;
    // a quiet network slows its checks down to one round per 16 s (the idle devnet CPU budget:
    // each round is signed health checks between every pair of nodes).
    repairIntervalMs: 1000,
    repairIdleIntervalMs: 16_000,
    // Several nodes share the one devnet process (peak RSS budget 600 MB): a smaller read cache
    // each than a real node's 64 MiB still holds a few hot tracks' checked chunks.
    readCacheBytes: 16 * 1024 * 1024,
    peers: async () => (await directory.list("content-node")).map((n) => n.endpoint),
    peerSigners: async () => (await directory.list("content-node")).map((n) => n.delegateOwnerWallet),
    discoverySigners: async () => (await directory.list("discovery-node")).map((n) => n.delegateOwnerWallet),
    discoveryNodes: () => directory.list("discovery-node"),
    log: w.logs.logger(`content-node-${i + 1}`),
  }));
  const set: NodeSet<ContentNodeConfig, RunningContentNode> = { configs, nodes: [], urls: [] };
  w.teardown.add(() => Promise.all(set.nodes.map((n) => n.stop())).then(() => undefined));
  for (const [i, config] of configs.entries()) {
    const node = await startPart(`content node ${i + 1}`, config.port, () => startContentNode(config));
    set.nodes.push(node);
    set.urls.push(node.url);
    // Restart on the same port so the registered endpoint stays valid.
    config.port = portOf(node.url);
  }
  return set;
}

/** The first node keeps the single-node names (data/discovery-node, discovery-node.log) that existing state dirs use. */
export function discoveryNodeName(i: number): string {
  return i === 0 ? "discovery-node" : `discovery-node-${i + 1}`;
}

export async function startDiscoveryNodes(w: Wiring, opts: { ports: number[]; count: number; identityUrl: string | undefined }): Promise<NodeSet<DiscoveryNodeConfig, RunningDiscoveryNode>> {
  const { chains } = w;
  const configs: DiscoveryNodeConfig[] = Array.from({ length: opts.count }, (_, i) => ({
    serve: w.serve,
    dir: path.join(w.dir, "data", discoveryNodeName(i)),
    port: opts.ports[i] || undefined,
    privateKey: devnetPrivateKey(discoveryOperatorIndex(i)),
    dataChain: { ...dataChainConfig(chains), startBlock: chains.entityManager.block, newBlocks: chains.dataChain.onNewBlock },
    // Without an identity service (--without identity) the node's /relay answers NODE_UNAVAILABLE.
    identityUrl: opts.identityUrl ?? "",
    ethChain: { rpcUrl: chains.ethChain.url, serviceProviderFactoryAddress: chains.eth.serviceProviderFactory, startBlock: chains.eth.deployBlock, newBlocks: chains.ethChain.onNewBlock },
    pollIntervalMs: 50,
    log: w.logs.logger(discoveryNodeName(i)),
  }));
  const set: NodeSet<DiscoveryNodeConfig, RunningDiscoveryNode> = { configs, nodes: [], urls: [] };
  w.teardown.add(() => Promise.all(set.nodes.map((n) => n.stop())).then(() => undefined));
  for (const [i, config] of configs.entries()) {
    const node = await startPart(i === 0 ? "discovery node" : `discovery node ${i + 1}`, config.port, () => startDiscoveryNode(config));
    set.nodes.push(node);
    set.urls.push(node.url);
    config.port = portOf(node.url);
  }
  return set;
}

function dataChainConfig(chains: DevnetChains) {
  return { rpcUrl: chains.dataChain.url, chainId: DATA_CHAIN_ID, entityManagerAddress: chains.entityManager.address };
}
