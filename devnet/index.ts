import path from "node:path";
import { Wallet } from "ethers";
import { DEVNET_ACCOUNT_COUNT, devnetPrivateKey, roleOf } from "./accounts";
import { DATA_CHAIN_ID, ETH_CHAIN_ID, startBlockClock, startDevnetChains } from "./chains";
import { nodeRoutes } from "./control/nodeRoutes";
import { snapshotRoutes, timeRoutes } from "./control/snapshotRoutes";
import { startControlServer } from "./control/server";
import type { EthContracts } from "./deployEth";
import { waitHealthy, waitListedContentNodes } from "./health";
import { openLogFiles } from "./logFiles";
import { nodeHandles } from "./nodeHandles";
import type { Devnet, RunningNodeHandle, StartDevnetOptions } from "./options";
import { prepareStateDir, saveNetwork } from "./persistence";
import { registerDevnetNodes } from "./registration";
import { startContentNodes, startDiscoveryNodes, startIdentity } from "./serviceWiring";
import { devnetCaFiles, devnetTls } from "./tlsFiles";
import { DEFAULT_DEVNET_DIR, refuseIfRunning, removeStateIfOurs, writeState, type DevnetAccount, type DevnetState } from "./state";
import { Teardown, portOf, startPart } from "./teardown";
import { choosePorts, resolveTopology } from "./topology";
import { createServiceDirectory } from "./services/serviceDirectory";
import { startContentNode } from "./services/content-node";
import { startDiscoveryNode } from "./services/discovery-node";
import { startIdentityService } from "./services/identity-service";
import { createDevnetSnapshots, installSnapshot } from "./snapshot";
import { createDevnetClock, waitIndexersAtHead } from "./clock";
import { startExplorer } from "./explorer/server";
import type { EthContractAddresses } from "../sdk/protocol/ethContracts";

export { ETH_CHAIN_ID, DATA_CHAIN_ID } from "./chains";
export { DEVNET_NODE_STAKE } from "./registration";
export type { Devnet, DevnetService, RunningNodeHandle, StartDevnetOptions } from "./options";
export { DEFAULT_PORT_BASE, PORT_OFFSETS, portMap } from "./topology";
export type { DevnetStatus, NodeStatus, ChainStatus } from "./control/status";
export { logFile } from "./logFiles";

/**
 * Start the whole protocol on this machine: two chains, every contract, three kinds of service.
 * Without `persist` each start is a fresh network; with it, the saved one resumes (see persistence.ts).
 * A start that fails stops whatever it had started and frees its ports. The steps each have their
 * module: the state dir (persistence.ts), chains and deploy (chains.ts), service wiring
 * (serviceWiring.ts), registration (registration.ts), health waits (health.ts), the control API
 * (control/) and the teardown on stop (teardown.ts).
 */
export async function startDevnet(options: StartDevnetOptions = {}): Promise<Devnet> {
  const dir = path.resolve(options.dir ?? DEFAULT_DEVNET_DIR);
  const topology = resolveTopology(options);
  refuseIfRunning(dir);
  // A start from a snapshot is a persistent start of the snapshot's files.
  if (options.snapshot !== undefined) {
    installSnapshot(dir, options.snapshot);
    options = { ...options, persist: true, reset: false };
  }
  const prepared = prepareStateDir(dir, { persist: options.persist, reset: options.reset, contentNodes: topology.contentNodes, discoveryNodes: topology.discoveryNodes });
  const { saved } = prepared;
  const ports = choosePorts(options, topology, saved?.ports);
  const logs = openLogFiles(dir, options.logs !== false);
  const teardown = new Teardown();
  teardown.add(() => logs.close());

  try {
    const chains = await startDevnetChains({ dir, ports, persist: options.persist, prepared, teardown });
    const wiring = { dir, chains, logs, teardown, serve: options.tls ? devnetTls(dir) : undefined };
    const discoveryUrls: string[] = [];
    const identityParts = topology.identity ? await startIdentity(wiring, ports, discoveryUrls) : undefined;
    const directory = createServiceDirectory({ rpcUrl: chains.ethChain.url, chainId: ETH_CHAIN_ID, serviceProviderFactoryAddress: chains.eth.serviceProviderFactory, cacheMs: 500 });
    teardown.add(() => directory.close());
    const content = await startContentNodes(wiring, { ports: ports.contentNodes, topology, uploadLimits: options.uploadLimits, directory });
    const discovery = await startDiscoveryNodes(wiring, { ports: ports.discoveryNodes, count: topology.discoveryNodes, identityUrl: identityParts?.identity.url });
    discoveryUrls.push(...discovery.urls);

    const registered = saved ?? (await registerDevnetNodes({ eth: chains.eth, wallet: chains.ethWallet, contentUrls: content.urls, discoveryUrls }));
    const contentNode = nodeHandles("content", content, startContentNode);
    const discoveryNode = nodeHandles("discovery", discovery, startDiscoveryNode);
    const handles: RunningNodeHandle[] = [...content.urls.map((_, i) => contentNode(i)), ...discovery.urls.map((_, i) => discoveryNode(i))];

    // The explorer: the devnet's public descriptor only (no accounts: the page must never see a private key).
    const descriptor = {
      ethChain: { url: chains.ethChain.url, chainId: ETH_CHAIN_ID, contracts: ethContractsRecord(chains.eth) },
      dataChain: { url: chains.dataChain.url, chainId: DATA_CHAIN_ID, contracts: { entityManager: chains.entityManager.address } },
      services: { discovery: [...discoveryUrls], identity: identityParts?.identity.url ?? "", contentNodes: [...content.urls] },
    };
    const explorer = await startPart("explorer", ports.explorer, () => startExplorer({ network: descriptor, port: ports.explorer || undefined, log: logs.logger("explorer") }));
    teardown.add(() => explorer.close());

    const state: DevnetState = {
      version: 1,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      dir,
      ethChain: descriptor.ethChain,
      dataChain: descriptor.dataChain,
      services: { ...descriptor.services, oauthProvider: identityParts?.oauth.provider.url ?? "", explorer: `${explorer.url}/explorer/` },
      contentNodes: registered.contentNodes,
      discoveryNodes: registered.discoveryNodes,
      accounts: devnetAccounts(),
      ...(options.tls ? { caFile: devnetCaFiles(dir).caFile } : {}),
    };
    // Every service with data, in start order, stopped and started again around a save or restore.
    const waitIndexed = () => waitIndexersAtHead(() => discoveryUrls, chains.dataChain.provider);
    const restartable = <C extends { dir: string }, N extends { stop(): Promise<void> }>(set: { configs: C[]; nodes: N[] }, start: (config: C) => Promise<N>) =>
      set.configs.map((config, i) => ({ dir: config.dir, stop: () => set.nodes[i].stop(), start: async () => void (set.nodes[i] = await start(config)) }));
    const snapshots = createDevnetSnapshots({
      dir,
      persistent: Boolean(options.persist),
      ethChain: { chainId: ETH_CHAIN_ID, history: chains.ethChain.history },
      dataChain: { chainId: DATA_CHAIN_ID, history: chains.dataChain.history },
      services: [
        ...(identityParts ? restartable(identityParts.set, startIdentityService) : []),
        ...restartable(content, startContentNode),
        ...restartable(discovery, startDiscoveryNode),
      ],
      waitIndexed,
      waitHealthy: () => Promise.all([...(identityParts ? [identityParts.identity.url] : []), ...discoveryUrls, ...content.urls].map((url) => waitHealthy([url]))).then(() => undefined),
    });
    const time = createDevnetClock({ ethChain: chains.ethChain.provider, dataChain: chains.dataChain.provider, waitIndexed });
    if (options.control ?? options.persist) {
      const control = await startPart("control API", ports.control, () => startControlServer({ port: ports.control, routers: [nodeRoutes(state, handles), snapshotRoutes({ snapshots }, logs.logger("control")), timeRoutes({ time }, logs.logger("control"))], log: logs.logger("control") }));
      teardown.add(() => control.close());
      state.control = control.url;
    }
    if (options.persist) {
      saveNetwork(dir, {
        version: 2,
        entityManager: chains.entityManager,
        eth: chains.eth,
        ports: {
          ethChain: portOf(chains.ethChain.url),
          dataChain: portOf(chains.dataChain.url),
          identity: identityParts ? portOf(identityParts.identity.url) : ports.identity,
          discovery: discoveryUrls[0] ? portOf(discoveryUrls[0]) : ports.discovery,
          discoveryNodes: discoveryUrls.map(portOf),
          oauthProvider: identityParts ? portOf(identityParts.oauth.provider.url) : ports.oauthProvider,
          contentNodes: content.urls.map(portOf),
          control: state.control ? portOf(state.control) : ports.control,
          explorer: portOf(explorer.url),
        },
        contentNodes: registered.contentNodes,
        discoveryNodes: registered.discoveryNodes,
      });
    }

    await waitHealthy([...(identityParts ? [identityParts.identity.url] : []), ...discoveryUrls, ...content.urls]);
    for (const url of discoveryUrls) await waitListedContentNodes(url, content.urls.length);
    if (topology.blockTime > 0) await startBlockClock(chains, topology.blockTime, teardown);
    writeState(state);

    if (options.snapshot !== undefined) await snapshots.adopt(options.snapshot);

    return {
      ...state,
      snapshots: { save: snapshots.save, restore: snapshots.restore, list: snapshots.list },
      time,
      contentNode,
      discoveryNode,
      async stop() {
        // Nothing to save: the chains journaled every block as it was mined, the nodes keep their own data.
        await teardown.run();
        removeStateIfOurs(state);
      },
    };
  } catch (e) {
    await teardown.run();
    throw e;
  }
}

function devnetAccounts(): DevnetAccount[] {
  return Array.from({ length: DEVNET_ACCOUNT_COUNT }, (_, i) => ({ index: i, role: roleOf(i), address: new Wallet(devnetPrivateKey(i)).address, privateKey: devnetPrivateKey(i) }));
}

function ethContractsRecord(eth: EthContracts): EthContractAddresses {
  const { deployBlock: _deployBlock, ...addresses } = eth;
  return addresses;
}

export { findState, isAlive, readState, statePath, type DevnetState, type DevnetAccount } from "./state";
export { DEVNET_ROLES, devnetPrivateKey } from "./accounts";
export { startDetached, stopDevnetProcess, cleanUpStale, supervisorPidFile } from "./supervisor";
export { controlRequest } from "./control/client";
export { DEVNET_SERVICES } from "./options";
// `asix node run`: one service as its own process, its logs, and trust in a devnet CA
export { NODE_KINDS, runNode, type NodeKind, type NodeRunSettings, type RunningNode } from "./services/shared/runNode";
export { createLogger, type Logger } from "./services/shared/logging";
export { fetchTrusting } from "./services/shared/tls";
export { MAX_DEVNET_CONTENT_NODES, MAX_DEVNET_DISCOVERY_NODES } from "./accounts";
export { parseDuration, type ClockAdvance, type ClockChainMove, type DevnetClock } from "./clock";
export type { DevnetSnapshots, SnapshotChain, SnapshotInfo } from "./snapshot";
export { seedDevnet, type SeedDevnetOptions, type SeedResult, type SeedCounts, type SeededArtist, type SeededTrack, type SeededPlaylist } from "./seed";
export type { SeededStaking } from "./seed/staking";
