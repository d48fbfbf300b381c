import type http from "node:http";
import type express from "express";
import { Wallet } from "ethers";
import { resolveCorsOrigins, type CorsOrigins } from "../cors";
import { listen, type ServeOptions } from "../http";
import { createServiceMetrics } from "../node-runtime/metrics";
import { createFaultGate, type FaultGate } from "../faults";
import { createRequestListener } from "./app";
import { openDb, type DiscoveryStore } from "./db";
import { startIndexer } from "./indexer";
import { startAnalysisSync } from "./analysisSync";
import type { NodeState } from "./respond";
import type { NewBlocks } from "./blockSignal";
import { startEthIndexer, type EthIndexer } from "./ethIndexer";
import { toNetworkContentNode, type OwnedNodeRef } from "../../../sdk/protocol/nodes";

export { startIndexer, type Indexer, type IndexerConfig } from "./indexer";
export { openDb, canonicalDump } from "./db";

export interface DiscoveryNodeConfig {
  /** TLS, drain, listen address and public URL (`asix node run` and `asix devnet up --tls` set them) */
  serve?: ServeOptions;
  /** data dir (the SQLite file, when there is no `databaseUrl`); created if missing */
  dir: string;
  /** `postgres://…`: index into this PostgreSQL database instead of SQLite in `dir` */
  databaseUrl?: string;
  /** default 0 (any free port on 127.0.0.1) */
  port?: number;
  /** delegate wallet private key: signs stream signatures and /v1/full responses */
  privateKey: string;
  /** `newBlocks`: the chain's new-block notifications when it runs in this process, so the indexer sleeps between blocks */
  dataChain: { rpcUrl: string; chainId: number; entityManagerAddress: string; startBlock?: number; newBlocks?: NewBlocks };
  /** identity service URL; POST /relay is forwarded there */
  identityUrl: string;
  /**
   * The eth chain's ServiceProviderFactory: when given, the node indexes its events and takes the
   * content and discovery node lists from there (the protocol's way); `contentNodes` and
   * `discoveryNodes` below are then ignored.
   */
  ethChain?: { rpcUrl: string; serviceProviderFactoryAddress: string; startBlock?: number; newBlocks?: NewBlocks };
  /** content node endpoints, when there is no ethChain; asked on each use */
  contentNodes?: () => string[] | Promise<string[]>;
  /** discovery nodes with owner, for /health_check network lists; optional */
  discoveryNodes?: () => OwnedNodeRef[] | Promise<OwnedNodeRef[]>;
  /** default 100 on the devnet */
  pollIntervalMs?: number;
  /** default 0 */
  confirmations?: number;
  /** web origins whose pages may call the node: "*" (default) or exact origins */
  corsOrigins?: CorsOrigins;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface RunningDiscoveryNode {
  url: string;
  /** the node's current fault (pause or slow), set by the devnet */
  faults: FaultGate;
  stop(): Promise<void>;
}

/** Open the index, start following the data chain, and serve the §6 API. */
export async function startDiscoveryNode(config: DiscoveryNodeConfig): Promise<RunningDiscoveryNode> {
  const metrics = createServiceMetrics("discovery-node");
  const log = metrics.tap(config.log ?? (() => {}));
  const corsOrigins = resolveCorsOrigins(config.corsOrigins);
  const db = await openDb(config.dir, config.databaseUrl, log);
  const started: Array<{ stop(): Promise<void> }> = [];
  const cleanUp = async () => {
    for (const part of started.reverse()) await part.stop();
    await db.close();
  };
  try {
    return await startOn(db);
  } catch (e) {
    await cleanUp();
    throw e;
  }

  async function startOn(db: DiscoveryStore): Promise<RunningDiscoveryNode> {
    const indexer = await startIndexer({
      db,
      rpcUrl: config.dataChain.rpcUrl,
      entityManagerAddress: config.dataChain.entityManagerAddress,
      startBlock: config.dataChain.startBlock,
      pollIntervalMs: config.pollIntervalMs ?? 100,
      newBlocks: config.dataChain.newBlocks,
      confirmations: config.confirmations ?? 0,
      log,
    });
    started.push(indexer);
    metrics.gauge("asix_discovery_index_lag_blocks", "data-chain blocks seen but not yet indexed", () => (indexer.latestChainBlock ? Math.max(0, indexer.latestChainBlock - indexer.latestIndexedBlock) : undefined));
    const ethIndexer: EthIndexer | undefined = config.ethChain
      ? await startEthIndexer({
          db,
          rpcUrl: config.ethChain.rpcUrl,
          serviceProviderFactoryAddress: config.ethChain.serviceProviderFactoryAddress,
          startBlock: config.ethChain.startBlock,
          pollIntervalMs: Math.max(config.pollIntervalMs ?? 100, 200),
          newBlocks: config.ethChain.newBlocks,
          log,
        })
      : undefined;
    if (ethIndexer) started.push(ethIndexer);
    const contentNodes = ethIndexer ? () => ethIndexer.list("content-node").map((n) => n.endpoint) : (config.contentNodes ?? (() => []));
    const networkContentNodes = ethIndexer
      ? () => ethIndexer.list("content-node").map(toNetworkContentNode)
      : async () => (await contentNodes()).map((endpoint) => toNetworkContentNode({ endpoint, delegateOwnerWallet: "", owner: "", spId: 0 }));
    const discoveryNodes = ethIndexer
      ? () => ethIndexer.list("discovery-node")
      : (config.discoveryNodes ?? (() => []));
    const state: NodeState = {
      db,
      indexer,
      wallet: new Wallet(config.privateKey),
      identityUrl: config.identityUrl,
      rpcUrl: config.dataChain.rpcUrl,
      contentNodes,
      networkContentNodes,
      discoveryNodes,
      log,
      offChainVersion: 0,
      corsOrigins,
    };
    const app = createRequestListener(state);
    // off the indexing path: each track's analysis, from its upload on the content nodes
    const analysisSync = startAnalysisSync({ db, contentNodes, log, onChange: () => state.offChainVersion++ });
    started.push(analysisSync);
    // A node put into a fault (devnet `node pause|slow`) holds every request, cached answers included.
    const faults = createFaultGate();
    const listener: http.RequestListener = (req, res) => {
      if (faults.current === undefined) return app(req, res);
      faults.middleware(req as express.Request, res as express.Response, () => app(req, res));
    };
    const server = await listen(listener, config.port ?? 0, undefined, { ...config.serve, log, metrics });
    log("discovery node listening", { url: server.url });
    return {
      url: server.url,
      faults,
      async stop() {
        await server.close();
        await cleanUp();
      },
    };
  }
}
