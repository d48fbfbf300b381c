import fs from "node:fs";
import path from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import { startChain, type Chain } from "./chain";
import { DEVNET_ACCOUNT_COUNT, DEVNET_ROLES, MAX_DEVNET_DISCOVERY_NODES, devnetPrivateKey, discoveryOperatorIndex } from "./accounts";
import { deployEntityManager } from "./deployData";
import { DEVNET_ETH_PARAMS, deployEthContracts, type EthContracts } from "./deployEth";
import { DEFAULT_DEVNET_DIR, isAlive, statePath, writeState, type DevnetAccount, type DevnetState } from "./state";
import { journalFile, prepareStateDir, replayLegacyChain, saveNetwork, type SavedNetwork } from "./persistence";
import { waitHealthy, waitListedContentNodes } from "./health";
import { registerDevnetNodes } from "./registration";
import { createLogger, type Logger } from "./services/http";
import { createServiceDirectory } from "./services/serviceDirectory";
import { startContentNode, type RunningContentNode } from "./services/content-node";
import type { UploadLimits } from "./services/content-node/uploadLimits";
import { startDiscoveryNode, type DiscoveryNodeConfig, type RunningDiscoveryNode } from "./services/discovery-node";
import { startDevnetOAuth, startIdentityService, type RunningIdentityService } from "./services/identity-service";
import { startExplorer } from "./explorer/server";
import { AsixError } from "../sdk/errors";
import type { EthContractAddresses } from "../sdk/protocol/ethContracts";

/** The devnet eth chain's id (Hardhat's default). */
export const ETH_CHAIN_ID = 31337;
/** The devnet data chain's id. */
export const DATA_CHAIN_ID = 1056801;
export { DEVNET_NODE_STAKE } from "./registration";

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

/** How to start a devnet; every field is optional. */
export interface StartDevnetOptions {
  /** State dir: devnet.json, logs, each node's data. Default `.asix/devnet` under the working directory. */
  dir?: string;
  /** Fixed ports; 0 or absent picks free ones (or, with persist, the ones the network had). */
  ports?: {
    /** the eth chain's JSON-RPC port */
    ethChain?: number;
    /** the data chain's JSON-RPC port */
    dataChain?: number;
    /** the first discovery node's port */
    discovery?: number;
    /** the identity service's port */
    identity?: number;
    /** the OAuth provider's port (social verification) */
    oauthProvider?: number;
    /** the content nodes' ports, in order */
    contentNodes?: number[];
  };
  /** Number of content nodes (default 3, at most 3). */
  contentNodes?: number;
  /** Number of discovery nodes (default 1, at most 3), each registered on the eth chain and indexing the same data chain. */
  discoveryNodes?: number;
  /** Copies of each blob (default 2). */
  replicationFactor?: number;
  /** Abuse limits of the content nodes' unsigned uploads (per-address rate and concurrency, longest audio). */
  uploadLimits?: Partial<UploadLimits>;
  /** Write service logs to `<dir>/logs/*.log` (default true). */
  logs?: boolean;
  /**
   * Keep the network across restarts and crashes (default false): each chain journals every block
   * before answering, and the next start replays the journals and keeps every node's data and
   * port. `asix devnet up` turns this on. Without it, each start is a fresh network.
   */
  persist?: boolean;
  /** With persist: throw away the saved network and start fresh. */
  reset?: boolean;
}

/** A devnet node that a test can stop and restart on the same port, with its data. */
export interface RunningNodeHandle {
  /** the node's URL */
  url: string;
  /** Stop the node (its data stays). */
  stop(): Promise<void>;
  /** Start it again on the same port with the same data. */
  restart(): Promise<void>;
}

/** A running devnet: what devnet.json holds, plus handles to stop or restart one of its nodes. */
export interface Devnet extends DevnetState {
  /** Content node i, for tests that stop and restart one. */
  contentNode(i: number): RunningNodeHandle;
  /** Discovery node i, for tests that stop and restart one. */
  discoveryNode(i: number): RunningNodeHandle;
  /** Stop everything; nothing is left running. */
  stop(): Promise<void>;
}

/**
 * Start the whole protocol on this machine: two chains, every contract, three kinds of service.
 * Without `persist` each start is a fresh network; with it, the saved one resumes (see persistence.ts).
 * A start that fails stops whatever it had started and frees its ports.
 */
export async function startDevnet(options: StartDevnetOptions = {}): Promise<Devnet> {
  const dir = path.resolve(options.dir ?? DEFAULT_DEVNET_DIR);
  const contentCount = options.contentNodes ?? 3;
  if (!Number.isInteger(contentCount) || contentCount < 1 || contentCount > DEVNET_ROLES.contentNodes.length) {
    throw new AsixError("INVALID_INPUT", `contentNodes must be 1..${DEVNET_ROLES.contentNodes.length}`);
  }
  const discoveryCount = options.discoveryNodes ?? 1;
  if (!Number.isInteger(discoveryCount) || discoveryCount < 1 || discoveryCount > MAX_DEVNET_DISCOVERY_NODES) {
    throw new AsixError("INVALID_INPUT", `discoveryNodes must be 1..${MAX_DEVNET_DISCOVERY_NODES}`);
  }
  const replicationFactor = options.replicationFactor ?? Math.min(2, contentCount);
  refuseIfRunning(dir);
  const { saved, legacy } = prepareStateDir(dir, { persist: options.persist, reset: options.reset, contentNodes: contentCount, discoveryNodes: discoveryCount });
  const ports = { ...saved?.ports, ...definedPorts(options.ports) };
  const discoveryPorts = [ports.discovery, ...(saved?.ports.discoveryNodes?.slice(1) ?? [])];
  fs.mkdirSync(path.join(dir, "logs"), { recursive: true });
  const logStreams: fs.WriteStream[] = [];
  const logger = (service: string): Logger => {
    if (options.logs === false) return createLogger(service);
    const stream = fs.createWriteStream(path.join(dir, "logs", `${service}.log`), { flags: "a" });
    logStreams.push(stream);
    return createLogger(service, (line) => stream.write(line));
  };

  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    await Promise.all(logStreams.splice(0).map((s) => new Promise((resolve) => s.end(resolve))));
  };
  /** Start one part; a taken port becomes an error that names it. */
  const start = async <T>(what: string, port: number | undefined, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      if (errnoOf(e) === "EADDRINUSE") throw new AsixError("CONFLICT", `port ${port} is in use: cannot start the ${what} there`, { cause: e });
      throw e;
    }
  };

  try {
    // Started together; each is stopped on failure even when the other failed.
    const chainStarts = await Promise.allSettled([
      startChain({ chainId: ETH_CHAIN_ID, port: ports.ethChain, accounts: DEVNET_ACCOUNT_COUNT, initialDate: legacy?.ethChain.genesisDate, journal: options.persist ? journalFile(dir, ETH_CHAIN_ID) : undefined }),
      startChain({ chainId: DATA_CHAIN_ID, port: ports.dataChain, accounts: DEVNET_ACCOUNT_COUNT, initialDate: legacy?.dataChain.genesisDate, mining: "batched", journal: options.persist ? journalFile(dir, DATA_CHAIN_ID) : undefined }),
    ]);
    for (const started of chainStarts) if (started.status === "fulfilled") cleanups.push(() => started.value.close());
    for (const started of chainStarts) if (started.status === "rejected") throw started.reason;
    const [ethChain, dataChain] = chainStarts.map((s) => (s as PromiseFulfilledResult<Chain>).value);
    const ethProvider = rpc(ethChain);
    const dataProvider = rpc(dataChain);
    cleanups.push(async () => {
      ethProvider.destroy();
      dataProvider.destroy();
    });
    const key = devnetPrivateKey;
    const ethWallet = (i: number) => new Wallet(key(i), ethProvider);

    let entityManager: { address: string; block: number };
    let eth: EthContracts;
    if (saved) {
      // Same genesis, same transactions: the same contracts at the same addresses.
      if (legacy) await Promise.all([replayLegacyChain(ethChain.provider, legacy.ethChain), replayLegacyChain(dataChain.provider, legacy.dataChain)]);
      ({ entityManager, eth } = saved);
    } else {
      [entityManager, eth] = await Promise.all([
        deployEntityManager(new Wallet(key(DEVNET_ROLES.deployer), dataProvider), new Wallet(key(DEVNET_ROLES.verifier)).address),
        deployEthContracts(ethWallet(DEVNET_ROLES.deployer), DEVNET_ETH_PARAMS),
      ]);
    }
    const dataChainConfig = { rpcUrl: dataChain.url, chainId: DATA_CHAIN_ID, entityManagerAddress: entityManager.address };

    // A real OAuth 2.0 provider of the devnet's own, so social verification works offline.
    const oauth = await start("OAuth provider", ports.oauthProvider, () => startDevnetOAuth({ port: ports.oauthProvider, log: logger("oauth-provider") }));
    cleanups.push(() => oauth.provider.stop());
    // The identity service asks the discovery nodes who owns a user before paying for an action; they start below.
    const discoveryUrls: string[] = [];
    const identity: RunningIdentityService = await start("identity service", ports.identity, () =>
      startIdentityService({
        dir: path.join(dir, "data", "identity-service"),
        port: ports.identity,
        dataChain: dataChainConfig,
        ethChain: {
          rpcUrl: ethChain.url,
          chainId: ETH_CHAIN_ID,
          tokenAddress: eth.token,
          stakingAddress: eth.staking,
          delegateManagerAddress: eth.delegateManager,
          serviceProviderFactoryAddress: eth.serviceProviderFactory,
        },
        relayerPrivateKeys: DEVNET_ROLES.relayers.map(key),
        discoveryNodes: () => discoveryUrls,
        ...DEVNET_IP_LIMITS,
        verifierPrivateKey: key(DEVNET_ROLES.verifier),
        oauth: oauth.oauth,
        log: logger("identity-service"),
      }),
    );
    cleanups.push(() => identity.stop());
    oauth.register(identity.url);

    // Content nodes learn their peers, and whose stream signatures to accept, from the eth chain.
    const directory = createServiceDirectory({ rpcUrl: ethChain.url, chainId: ETH_CHAIN_ID, serviceProviderFactoryAddress: eth.serviceProviderFactory, cacheMs: 500 });
    cleanups.push(async () => directory.close());
    const contentUrls: string[] = [];
    const contentConfigs = Array.from({ length: contentCount }, (_, i) => ({
      dir: path.join(dir, "data", `content-node-${i + 1}`),
      port: ports.contentNodes?.[i] || undefined,
      privateKey: key(DEVNET_ROLES.contentNodes[i]),
      replicationFactor,
      uploadLimits: options.uploadLimits,
      // Short on the devnet: a restarted node gets its missing copies back within a second or two;
      // a quiet network slows its checks down to one round per 8 s (the idle devnet CPU budget).
      repairIntervalMs: 1000,
      repairIdleIntervalMs: 8000,
      peers: async () => (await directory.list("content-node")).map((n) => n.endpoint),
      peerSigners: async () => (await directory.list("content-node")).map((n) => n.delegateOwnerWallet),
      discoverySigners: async () => (await directory.list("discovery-node")).map((n) => n.delegateOwnerWallet),
      discoveryNodes: () => directory.list("discovery-node"),
      log: logger(`content-node-${i + 1}`),
    }));
    const contentNodes: RunningContentNode[] = [];
    cleanups.push(async () => {
      await Promise.all(contentNodes.map((n) => n.stop()));
    });
    for (const [i, config] of contentConfigs.entries()) {
      const node = await start(`content node ${i + 1}`, config.port, () => startContentNode(config));
      contentNodes.push(node);
      contentUrls.push(node.url);
      // Restart on the same port so the registered endpoint stays valid.
      config.port = Number(new URL(node.url).port);
    }

    // The first node keeps the single-node names (data/discovery-node, discovery-node.log) that existing state dirs use.
    const discoveryConfigs: DiscoveryNodeConfig[] = Array.from({ length: discoveryCount }, (_, i) => {
      const name = i === 0 ? "discovery-node" : `discovery-node-${i + 1}`;
      return {
        dir: path.join(dir, "data", name),
        port: discoveryPorts[i] || undefined,
        privateKey: key(discoveryOperatorIndex(i)),
        dataChain: { ...dataChainConfig, startBlock: entityManager.block, newBlocks: dataChain.onNewBlock },
        identityUrl: identity.url,
        ethChain: { rpcUrl: ethChain.url, serviceProviderFactoryAddress: eth.serviceProviderFactory, startBlock: eth.deployBlock, newBlocks: ethChain.onNewBlock },
        pollIntervalMs: 50,
        log: logger(name),
      };
    });
    const discoveryNodes: RunningDiscoveryNode[] = [];
    cleanups.push(async () => {
      await Promise.all(discoveryNodes.map((n) => n.stop()));
    });
    for (const [i, config] of discoveryConfigs.entries()) {
      const node = await start(i === 0 ? "discovery node" : `discovery node ${i + 1}`, config.port, () => startDiscoveryNode(config));
      discoveryNodes.push(node);
      discoveryUrls.push(node.url);
      config.port = portOf(node.url);
    }

    const registered = saved ?? (await registerDevnetNodes({ eth, wallet: ethWallet, contentUrls, discoveryUrls }));
    if (options.persist) {
      const network: SavedNetwork = {
        version: 2,
        entityManager,
        eth,
        ports: {
          ethChain: portOf(ethChain.url),
          dataChain: portOf(dataChain.url),
          identity: portOf(identity.url),
          discovery: portOf(discoveryUrls[0]),
          discoveryNodes: discoveryUrls.map(portOf),
          oauthProvider: portOf(oauth.provider.url),
          contentNodes: contentUrls.map(portOf),
        },
        contentNodes: registered.contentNodes,
        discoveryNodes: registered.discoveryNodes,
      };
      saveNetwork(dir, network);
    }

    const services = { discovery: [...discoveryUrls], identity: identity.url, contentNodes: [...contentUrls] };
    const explorer = await start("explorer", undefined, () => startExplorer({ network: { ethChain: { url: ethChain.url, chainId: ETH_CHAIN_ID, contracts: ethContractsRecord(eth) }, dataChain: { url: dataChain.url, chainId: DATA_CHAIN_ID, contracts: { entityManager: entityManager.address } }, services }, log: logger("explorer") }));
    cleanups.push(() => explorer.close());

    await waitHealthy([identity.url, ...discoveryUrls, ...contentUrls]);
    for (const url of discoveryUrls) await waitListedContentNodes(url, contentNodes.length);

    const accounts: DevnetAccount[] = Array.from({ length: DEVNET_ACCOUNT_COUNT }, (_, i) => ({
      index: i,
      role: roleOf(i),
      address: new Wallet(key(i)).address,
      privateKey: key(i),
    }));
    const state: DevnetState = {
      version: 1,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      dir,
      ethChain: { url: ethChain.url, chainId: ETH_CHAIN_ID, contracts: ethContractsRecord(eth) },
      dataChain: { url: dataChain.url, chainId: DATA_CHAIN_ID, contracts: { entityManager: entityManager.address } },
      services: { ...services, oauthProvider: oauth.provider.url, explorer: `${explorer.url}/explorer/` },
      contentNodes: registered.contentNodes,
      discoveryNodes: registered.discoveryNodes,
      accounts,
    };
    writeState(state);

    return {
      ...state,
      contentNode(i: number) {
        const config = contentConfigs[i];
        if (!config) throw new AsixError("INVALID_INPUT", `no content node ${i}`);
        return {
          url: contentUrls[i],
          stop: () => contentNodes[i].stop(),
          restart: async () => {
            contentNodes[i] = await startContentNode(config);
          },
        };
      },
      discoveryNode(i: number) {
        const config = discoveryConfigs[i];
        if (!config) throw new AsixError("INVALID_INPUT", `no discovery node ${i}`);
        return {
          url: discoveryUrls[i],
          stop: () => discoveryNodes[i].stop(),
          restart: async () => {
            discoveryNodes[i] = await startDiscoveryNode(config);
          },
        };
      },
      async stop() {
        // Nothing to save: the chains journaled every block as it was mined, the nodes keep their own data.
        await stopAll();
        try {
          const current = JSON.parse(fs.readFileSync(statePath(dir), "utf8"));
          if (current.pid === process.pid && current.startedAt === state.startedAt) fs.rmSync(statePath(dir));
        } catch {
          // already gone
        }
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** Two devnets must not share a state dir: both would append to the same journals. */
function refuseIfRunning(dir: string): void {
  try {
    const running = JSON.parse(fs.readFileSync(statePath(dir), "utf8")) as DevnetState;
    if (running.pid !== process.pid && isAlive(running.pid)) {
      throw new AsixError("CONFLICT", `a devnet is already running in ${dir} (pid ${running.pid}); stop it first (npx asix devnet down)`);
    }
  } catch (e) {
    if (e instanceof AsixError) throw e;
    // no devnet.json, or an unreadable one: nothing is running there
  }
}

function definedPorts(ports: StartDevnetOptions["ports"] = {}): StartDevnetOptions["ports"] {
  return Object.fromEntries(Object.entries(ports).filter(([, v]) => v !== undefined && v !== 0));
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

function errnoOf(e: unknown): string | undefined {
  for (let c = e as { code?: unknown; cause?: unknown } | undefined; c; c = c.cause as typeof c) {
    if (typeof c.code === "string" && c.code.startsWith("E")) return c.code;
  }
  return undefined;
}

function rpc(chain: Chain): JsonRpcProvider {
  const provider = new JsonRpcProvider(chain.url, chain.chainId, { staticNetwork: true, cacheTimeout: -1 });
  provider.pollingInterval = 50;
  return provider;
}

function roleOf(i: number): string {
  if (i === DEVNET_ROLES.deployer) return "deployer";
  if (i === DEVNET_ROLES.verifier) return "verifier";
  if ((DEVNET_ROLES.contentNodes as readonly number[]).includes(i)) return "content-node operator";
  if (i === DEVNET_ROLES.discoveryNode || (DEVNET_ROLES.extraDiscoveryNodes as readonly number[]).includes(i)) return "discovery-node operator";
  if ((DEVNET_ROLES.relayers as readonly number[]).includes(i)) return "relayer";
  return "user";
}

function ethContractsRecord(eth: EthContracts): EthContractAddresses {
  const { deployBlock: _deployBlock, ...addresses } = eth;
  return addresses;
}

export { findState, isAlive, statePath, type DevnetState, type DevnetAccount } from "./state";
export { DEVNET_ROLES, devnetPrivateKey } from "./accounts";
export { seedDevnet, planSeed, DEFAULT_SEED_COUNTS, type SeedDevnetOptions, type SeedResult, type SeedCounts, type SeedPlan } from "./seed";
