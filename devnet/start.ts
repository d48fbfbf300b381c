import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DEVNET_ACCOUNT_COUNT, devnetAddress, devnetPrivateKey, roleOf } from "./accounts";
import { DATA_CHAIN_ID, ETH_CHAIN_ID, startBlockClock, startDevnetChains, type DevnetChains } from "./chains";
import { nodeRoutes } from "./control/nodeRoutes";
import { snapshotRoutes, timeRoutes } from "./control/snapshotRoutes";
import { startControlServer } from "./control/server";
import type { EthContracts } from "./deployEth";
import { waitHealthy, waitListedContentNodes } from "./health";
import { openLogFiles } from "./logFiles";
import { nodeHandles } from "./nodeHandles";
import type { Devnet, RunningNodeHandle, StartDevnetOptions } from "./options";
import { journalFile, prepareStateDir, saveNetwork, type CreatedChain, type NetworkCreation } from "./persistence";
import { registerDevnetNodes } from "./registration";
import { startContentNodes, startDiscoveryNodes, startIdentity } from "./serviceWiring";
import { DEFAULT_DEVNET_DIR, refuseIfRunning, removeStateIfOurs, writeState, type DevnetAccount, type DevnetState } from "./state";
import { Teardown, portOf, startPart } from "./teardown";
import { choosePorts, resolveTopology, type DevnetTopology } from "./topology";
import { createServiceDirectory } from "./services/serviceDirectory";
import { startContentNode } from "./services/content-node";
import { startDiscoveryNode } from "./services/discovery-node";
import { startIdentityService } from "./services/identity-service";
import { createDevnetSnapshots, installSnapshot } from "./snapshot";
import { createDevnetClock, waitIndexersAtHead } from "./clock";
import { startExplorer } from "./explorer/server";
import type { EthContractAddresses } from "../sdk/protocol/ethContracts";

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
  // Block hashes cannot tell two networks apart: fresh ones share block 0, and block 1 carries only
  // a time in whole seconds, the same for two networks started within one second.
  const networkId = saved?.id ?? randomUUID();
  const ports = choosePorts(options, topology, saved?.ports);
  const logs = openLogFiles(dir, options.logs !== false);
  const teardown = new Teardown();
  teardown.add(() => logs.close());
  const steps = stepTimer();

  try {
    const chains = await startDevnetChains({ dir, ports, persist: options.persist, prepared, teardown });
    steps.mark("chains");
    // node-forge and undici load only for a --tls devnet
    const tlsFiles = options.tls ? await import("./tlsFiles.js") : undefined;
    const wiring = { dir, chains, logs, teardown, serve: tlsFiles?.devnetTls(dir) };
    const discoveryUrls: string[] = [];
    const identityParts = topology.identity ? await startIdentity(wiring, ports, discoveryUrls) : undefined;
    const directory = createServiceDirectory({ rpcUrl: chains.ethChain.url, chainId: ETH_CHAIN_ID, serviceProviderFactoryAddress: chains.eth.serviceProviderFactory, cacheMs: 500 });
    teardown.add(() => directory.close());
    const content = await startContentNodes(wiring, { ports: ports.contentNodes, topology, uploadLimits: options.uploadLimits, directory });
    const discovery = await startDiscoveryNodes(wiring, { ports: ports.discoveryNodes, count: topology.discoveryNodes, identityUrl: identityParts?.identity.url });
    discoveryUrls.push(...discovery.urls);
    steps.mark("services");

    const registered = saved ?? (await registerDevnetNodes({ eth: chains.eth, wallet: chains.ethWallet, contentUrls: content.urls, discoveryUrls }));
    steps.mark("registration");
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
      ...(tlsFiles ? { caFile: tlsFiles.devnetCaFiles(dir).caFile } : {}),
    };
    // Every service with data, in start order, stopped and started again around a save or restore.
    const waitIndexed = () => waitIndexersAtHead(() => discoveryUrls, chains.dataChain.provider);
    const restartable = <C extends { dir: string }, N extends { stop(): Promise<void> }>(set: { configs: C[]; nodes: N[] }, start: (config: C) => Promise<N>) =>
      set.configs.map((config, i) => ({ dir: config.dir, stop: () => set.nodes[i].stop(), start: async () => void (set.nodes[i] = await start(config)) }));
    const snapshots = createDevnetSnapshots({
      dir,
      networkId,
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
        id: networkId,
        created: saved ? saved.created : await networkCreation(dir, topology, chains),
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

    steps.mark("explorer, control, save");
    await waitHealthy([...(identityParts ? [identityParts.identity.url] : []), ...discoveryUrls, ...content.urls]);
    steps.mark("healthy");
    for (const url of discoveryUrls) await waitListedContentNodes(url, content.urls.length);
    steps.mark("listed");
    if (topology.blockTime > 0) await startBlockClock(chains, topology.blockTime, teardown);
    writeState(state);
    logs.logger("devnet")("devnet started", { ...steps.total(), steps: steps.all() });

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

/**
 * Milliseconds per start step, wall and this process's CPU, logged to logs/devnet.log so a slow
 * start says where its time went (on a shared machine the wall time is mostly waiting for a core).
 */
function stepTimer() {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let last = t0;
  let lastCpu = cpu0;
  const steps: Record<string, { ms: number; cpuMs: number }> = {};
  const cpuMs = (from: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(from);
    return Math.round((used.user + used.system) / 1000);
  };
  return {
    mark(step: string) {
      const now = performance.now();
      steps[step] = { ms: Math.round(now - last), cpuMs: cpuMs(lastCpu) };
      last = now;
      lastCpu = process.cpuUsage();
    },
    all: () => steps,
    total: () => ({ ms: Math.round(performance.now() - t0), cpuMs: cpuMs(cpu0), processCpuMs: cpuMs({ user: 0, system: 0 }), processUptimeMs: Math.round(process.uptime() * 1000) }),
  };
}

/**
 * The new network's chains as its setup left them: the heads, and the journals' lengths (every
 * later block or state call is appended to a journal before any client sees it).
 */
async function networkCreation(dir: string, topology: DevnetTopology, chains: DevnetChains): Promise<NetworkCreation> {
  const created = async (chain: DevnetChains["ethChain"]): Promise<CreatedChain> => {
    const head = (await chain.provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { number: string; hash: string };
    return { blockNumber: Number(head.number), hash: head.hash, journalBytes: fs.statSync(journalFile(dir, chain.chainId)).size };
  };
  return { topology, ethChain: await created(chains.ethChain), dataChain: await created(chains.dataChain) };
}

function devnetAccounts(): DevnetAccount[] {
  return Array.from({ length: DEVNET_ACCOUNT_COUNT }, (_, i) => ({ index: i, role: roleOf(i), address: devnetAddress(i), privateKey: devnetPrivateKey(i) }));
}

function ethContractsRecord(eth: EthContracts): EthContractAddresses {
  const { deployBlock: _deployBlock, ...addresses } = eth;
  return addresses;
}

