import fs from "node:fs";
import path from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import { startChain, type Chain } from "./chain";
import { DEVNET_ACCOUNT_COUNT, DEVNET_ROLES, devnetPrivateKey } from "./accounts";
import { deployEntityManager } from "./deployData";
import { DEVNET_ETH_PARAMS, deployEthContracts, registerServiceProvider, type EthContracts } from "./deployEth";
import { DEFAULT_DEVNET_DIR, writeState, type DevnetAccount, type DevnetState } from "./state";
import { replayChain, saveChain, writeJsonAtomic, type SavedChain } from "./persistence";
import { createLogger, type Logger } from "./services/http";
import { createServiceDirectory } from "./services/serviceDirectory";
import { startContentNode, type RunningContentNode } from "./services/content-node";
import { startDiscoveryNode, type RunningDiscoveryNode } from "./services/discovery-node";
import { startDevnetOAuth, startIdentityService, type RunningIdentityService } from "./services/identity-service";
import { AsixError } from "../sdk/errors";

export const ETH_CHAIN_ID = 31337;
export const DATA_CHAIN_ID = 1056801;
/** Devnet operators stake this much per node (the content- and discovery-node minimum). */
export const DEVNET_NODE_STAKE = 200_000n * 10n ** 18n;

export interface StartDevnetOptions {
  /** State dir: devnet.json, logs, each node's data. Default `.asix/devnet` under the working directory. */
  dir?: string;
  /** Fixed ports; 0 or absent picks free ones. */
  ports?: { ethChain?: number; dataChain?: number; discovery?: number; identity?: number; contentNodes?: number[] };
  /** Number of content nodes (default 3, at most 3). */
  contentNodes?: number;
  /** Copies of each blob (default 2). */
  replicationFactor?: number;
  /** Write service logs to `<dir>/logs/*.log` (default true). */
  logs?: boolean;
  /**
   * Keep the network across restarts (default false): on stop, save both chains' history to the
   * state dir; on the next start, replay it and keep every node's data and port. `asix devnet up`
   * turns this on unless --reset.
   */
  persist?: boolean;
  /** With persist: throw away the saved network and start fresh. */
  reset?: boolean;
}

/** What a persistent devnet saves on stop, beside its nodes' data. */
interface SavedDevnet {
  version: 1;
  ethChain: SavedChain;
  dataChain: SavedChain;
  entityManager: { address: string; block: number };
  eth: EthContracts;
  ports: { identity: number; discovery: number; contentNodes: number[] };
  contentNodes: DevnetState["contentNodes"];
  discoveryNodes: DevnetState["discoveryNodes"];
}

export interface Devnet extends DevnetState {
  /** Content node i, for tests that stop and restart one. */
  contentNode(i: number): { url: string; stop(): Promise<void>; restart(): Promise<void> };
  /** Stop everything; nothing is left running. */
  stop(): Promise<void>;
}

/**
 * Start the whole protocol on this machine: two chains, every contract, three kinds of service.
 * Each start is a fresh network: the chains live in memory, so the state dir's node data is reset.
 */
export async function startDevnet(options: StartDevnetOptions = {}): Promise<Devnet> {
  const dir = path.resolve(options.dir ?? DEFAULT_DEVNET_DIR);
  const contentCount = options.contentNodes ?? 3;
  if (!Number.isInteger(contentCount) || contentCount < 1 || contentCount > DEVNET_ROLES.contentNodes.length) {
    throw new AsixError("INVALID_INPUT", `contentNodes must be 1..${DEVNET_ROLES.contentNodes.length}`);
  }
  const replicationFactor = options.replicationFactor ?? Math.min(2, contentCount);
  const ports = { ...options.ports };
  const savedFile = path.join(dir, "network.json");
  let saved: SavedDevnet | undefined;
  if (options.persist && !options.reset && fs.existsSync(savedFile)) {
    saved = JSON.parse(fs.readFileSync(savedFile, "utf8")) as SavedDevnet;
    if (saved.ports.contentNodes.length !== contentCount) {
      throw new AsixError("INVALID_INPUT", `the saved devnet in ${dir} has ${saved.ports.contentNodes.length} content nodes; use --reset to start over with ${contentCount}`);
    }
    ports.identity ??= saved.ports.identity;
    ports.discovery ??= saved.ports.discovery;
    ports.contentNodes ??= saved.ports.contentNodes;
  } else {
    fs.rmSync(path.join(dir, "data"), { recursive: true, force: true });
    fs.rmSync(savedFile, { force: true });
  }
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
    for (const s of logStreams.splice(0)) s.end();
  };

  try {
    const [ethChain, dataChain] = await Promise.all([
      startChain({ chainId: ETH_CHAIN_ID, port: ports.ethChain, accounts: DEVNET_ACCOUNT_COUNT, initialDate: saved?.ethChain.genesisDate }),
      startChain({ chainId: DATA_CHAIN_ID, port: ports.dataChain, accounts: DEVNET_ACCOUNT_COUNT, initialDate: saved?.dataChain.genesisDate, mining: "batched" }),
    ]);
    cleanups.push(() => ethChain.close(), () => dataChain.close());
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
      const [, dataSame] = await Promise.all([replayChain(ethChain.provider, saved.ethChain), replayChain(dataChain.provider, saved.dataChain)]);
      // Should a hash differ, the discovery node's index no longer matches its chain: rebuild it.
      if (!dataSame) fs.rmSync(path.join(dir, "data", "discovery-node"), { recursive: true, force: true });
      ({ entityManager, eth } = saved);
    } else {
      [entityManager, eth] = await Promise.all([
        deployEntityManager(new Wallet(key(DEVNET_ROLES.deployer), dataProvider), new Wallet(key(DEVNET_ROLES.verifier)).address),
        deployEthContracts(ethWallet(DEVNET_ROLES.deployer), DEVNET_ETH_PARAMS),
      ]);
    }
    const dataChainConfig = { rpcUrl: dataChain.url, chainId: DATA_CHAIN_ID, entityManagerAddress: entityManager.address };

    // A real OAuth 2.0 provider of the devnet's own, so social verification works offline.
    const oauth = await startDevnetOAuth({ log: logger("oauth-provider") });
    cleanups.push(() => oauth.provider.stop());
    const identity: RunningIdentityService = await startIdentityService({
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
      verifierPrivateKey: key(DEVNET_ROLES.verifier),
      oauth: oauth.oauth,
      log: logger("identity-service"),
    });
    cleanups.push(() => identity.stop());
    oauth.register(identity.url);

    // Content nodes learn their peers, and whose stream signatures to accept, from the eth chain.
    const directory = createServiceDirectory({ rpcUrl: ethChain.url, chainId: ETH_CHAIN_ID, serviceProviderFactoryAddress: eth.serviceProviderFactory, cacheMs: 500 });
    cleanups.push(async () => directory.close());
    const contentUrls: string[] = [];
    const discoveryWallet = new Wallet(key(DEVNET_ROLES.discoveryNode));
    const contentConfigs = Array.from({ length: contentCount }, (_, i) => ({
      dir: path.join(dir, "data", `content-node-${i + 1}`),
      port: ports.contentNodes?.[i],
      privateKey: key(DEVNET_ROLES.contentNodes[i]),
      replicationFactor,
      // Short on the devnet: a restarted node gets its missing copies back within a second or two.
      repairIntervalMs: 1000,
      peers: async () => (await directory.list("content-node")).map((n) => n.endpoint),
      peerSigners: async () => (await directory.list("content-node")).map((n) => n.delegateOwnerWallet),
      discoverySigners: async () => (await directory.list("discovery-node")).map((n) => n.delegateOwnerWallet),
      discoveryNodes: () => directory.list("discovery-node"),
      log: logger(`content-node-${i + 1}`),
    }));
    const contentNodes: RunningContentNode[] = [];
    for (const config of contentConfigs) {
      const node = await startContentNode(config);
      contentNodes.push(node);
      contentUrls.push(node.url);
      // Restart on the same port so the registered endpoint stays valid.
      config.port = Number(new URL(node.url).port);
    }
    cleanups.push(async () => {
      await Promise.all(contentNodes.map((n) => n.stop()));
    });

    const discovery: RunningDiscoveryNode = await startDiscoveryNode({
      dir: path.join(dir, "data", "discovery-node"),
      port: ports.discovery,
      privateKey: discoveryWallet.privateKey,
      dataChain: { ...dataChainConfig, startBlock: entityManager.block },
      identityUrl: identity.url,
      ethChain: { rpcUrl: ethChain.url, serviceProviderFactoryAddress: eth.serviceProviderFactory, startBlock: eth.deployBlock },
      pollIntervalMs: 50,
      log: logger("discovery-node"),
    });
    cleanups.push(() => discovery.stop());

    // Register every node on the eth chain with real stake, as an operator would (once per network).
    const deployer = ethWallet(DEVNET_ROLES.deployer);
    const registered: DevnetState["contentNodes"] = saved ? saved.contentNodes : [];
    for (let i = 0; i < contentNodes.length && !saved; i++) {
      const operator = ethWallet(DEVNET_ROLES.contentNodes[i]);
      const spId = await registerServiceProvider({
        contracts: eth,
        deployer,
        operator,
        serviceType: "content-node",
        endpoint: contentNodes[i].url,
        stake: DEVNET_NODE_STAKE,
      });
      registered.push({ endpoint: contentNodes[i].url, spId: spId.toString(), delegateOwnerWallet: operator.address });
    }
    const discoveryOperator = ethWallet(DEVNET_ROLES.discoveryNode);
    const discoveryNodes: DevnetState["discoveryNodes"] = saved
      ? saved.discoveryNodes
      : [
          {
            endpoint: discovery.url,
            spId: (
              await registerServiceProvider({
                contracts: eth,
                deployer,
                operator: discoveryOperator,
                serviceType: "discovery-node",
                endpoint: discovery.url,
                stake: DEVNET_NODE_STAKE,
              })
            ).toString(),
            delegateOwnerWallet: discoveryOperator.address,
          },
        ];

    await waitHealthy([identity.url, discovery.url, ...contentUrls]);
    await waitUntil(async () => {
      // The discovery node lists nodes from the eth chain's registry: wait until it has indexed ours.
      const health = (await (await fetch(`${discovery.url}/health_check`)).json()) as { data: { network: { content_nodes: unknown[] } } };
      return health.data.network.content_nodes.length === contentNodes.length;
    }, "the discovery node did not list the registered content nodes");

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
      services: { discovery: [discovery.url], identity: identity.url, contentNodes: [...contentUrls], oauthProvider: oauth.provider.url },
      contentNodes: registered,
      discoveryNodes,
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
      async stop() {
        if (options.persist) {
          // Save the chains before they stop; the nodes' own data is already on disk.
          let chains: [SavedChain, SavedChain] | undefined;
          try {
            chains = await Promise.all([saveChain(ethChain.url, ETH_CHAIN_ID), saveChain(dataChain.url, DATA_CHAIN_ID)]);
          } finally {
            await stopAll();
          }
          const [ethSaved, dataSaved] = chains;
          const network: SavedDevnet = {
            version: 1,
            ethChain: ethSaved,
            dataChain: dataSaved,
            entityManager,
            eth,
            ports: {
              identity: Number(new URL(identity.url).port),
              discovery: Number(new URL(discovery.url).port),
              contentNodes: contentConfigs.map((c) => c.port!),
            },
            contentNodes: registered,
            discoveryNodes,
          };
          writeJsonAtomic(savedFile, network);
        } else {
          await stopAll();
        }
        try {
          const current = JSON.parse(fs.readFileSync(path.join(dir, "devnet.json"), "utf8"));
          if (current.pid === process.pid && current.startedAt === state.startedAt) fs.rmSync(path.join(dir, "devnet.json"));
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

function rpc(chain: Chain): JsonRpcProvider {
  const provider = new JsonRpcProvider(chain.url, chain.chainId, { staticNetwork: true, cacheTimeout: -1 });
  provider.pollingInterval = 50;
  return provider;
}

function roleOf(i: number): string {
  if (i === DEVNET_ROLES.deployer) return "deployer";
  if (i === DEVNET_ROLES.verifier) return "verifier";
  if ((DEVNET_ROLES.contentNodes as readonly number[]).includes(i)) return "content-node operator";
  if (i === DEVNET_ROLES.discoveryNode) return "discovery-node operator";
  if ((DEVNET_ROLES.relayers as readonly number[]).includes(i)) return "relayer";
  return "user";
}

function ethContractsRecord(eth: EthContracts): Record<string, string> {
  const { deployBlock: _deployBlock, ...addresses } = eth;
  return addresses;
}

async function waitUntil(check: () => Promise<boolean>, failure: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new AsixError("NODE_UNAVAILABLE", failure);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitHealthy(urls: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const url of urls) {
    for (;;) {
      try {
        const res = await fetch(`${url}/health_check`);
        if (res.ok) {
          const body = (await res.json()) as { data?: { healthy?: boolean } };
          if (body.data?.healthy !== false) break;
        }
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new AsixError("NODE_UNAVAILABLE", `${url} did not become healthy in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export { findState, type DevnetState, type DevnetAccount } from "./state";
export { DEVNET_ROLES, devnetPrivateKey } from "./accounts";
