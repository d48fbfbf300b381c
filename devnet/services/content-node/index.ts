import fs from "node:fs";
import path from "node:path";
import { Wallet } from "ethers";
import { listen } from "../http";
import { createContentNodeApp } from "./app";
import { createBlobStore } from "./blobStore";
import type { ContentNodeSettings, DiscoveryNodeRef, NodeContext } from "./context";
import { openContentDb } from "./db";
import { createReplicator } from "./replication";
import { createTranscoder } from "./transcoder";
import { resolveUploadLimits, type UploadLimits } from "./uploadLimits";

export interface ContentNodeConfig {
  /** data dir: blobs, tmp, sqlite file; created if missing */
  dir: string;
  port?: number; // default 0 (a free port)
  /** the node's delegate wallet private key: signs /health_check */
  privateKey: string;
  spId?: number; // service provider id on the eth chain, 0 if unknown
  replicationFactor?: number; // default 2
  /** every content node endpoint in the network, this one included; asked on each use (it changes) */
  peers: () => string[] | Promise<string[]>;
  /** wallet addresses allowed to sign stream signatures (registered discovery nodes' delegate wallets) */
  discoverySigners: () => string[] | Promise<string[]>;
  /** registered discovery nodes, to report plays to the one whose signature started a stream; optional */
  discoveryNodes?: () => DiscoveryNodeRef[] | Promise<DiscoveryNodeRef[]>;
  maxAudioBytes?: number; // default 1 GiB
  maxImageBytes?: number; // default 25 MiB
  /** abuse limits on unsigned uploads: per-IP rate and concurrency, longest audio */
  uploadLimits?: Partial<UploadLimits>;
  transcodeWorkers?: number; // default 2
  /** how often the repair loop re-places every local blob and checks peers; default 15 s (use ~1 s on a devnet) */
  repairIntervalMs?: number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface RunningContentNode {
  url: string;
  stop(): Promise<void>;
}

export const CONTENT_NODE_DB_FILE = "content-node.sqlite";

/** Start a content node on 127.0.0.1. With the same `dir` it resumes: uploads, blobs, unfinished transcodes. */
export async function startContentNode(config: ContentNodeConfig): Promise<RunningContentNode> {
  const settings: ContentNodeSettings = {
    dir: path.resolve(config.dir),
    wallet: new Wallet(config.privateKey),
    spId: config.spId ?? 0,
    replicationFactor: config.replicationFactor ?? 2,
    peers: config.peers,
    discoverySigners: config.discoverySigners,
    discoveryNodes: config.discoveryNodes ?? (() => []),
    maxAudioBytes: config.maxAudioBytes ?? 1024 ** 3,
    maxImageBytes: config.maxImageBytes ?? 25 * 1024 ** 2,
    uploadLimits: resolveUploadLimits(config.uploadLimits),
    transcodeWorkers: Math.max(1, config.transcodeWorkers ?? 2),
    repairIntervalMs: config.repairIntervalMs ?? 15_000,
    log: config.log ?? (() => {}),
  };
  fs.mkdirSync(settings.dir, { recursive: true });
  const db = openContentDb(path.join(settings.dir, CONTENT_NODE_DB_FILE));
  const store = createBlobStore(settings.dir, db);

  const ctx: NodeContext = {
    settings,
    db,
    store,
    self: "",
    peerHealths: {},
    enqueueTranscode: (id) => transcoder.enqueue(id),
    replicate: (cids) => replicator.replicate(cids),
    findHolder: (cid) => replicator.findHolder(cid),
  };
  const transcoder = createTranscoder(ctx);
  const replicator = createReplicator(ctx);

  let server;
  try {
    server = await listen(createContentNodeApp(ctx), config.port ?? 0);
  } catch (err) {
    db.close();
    throw err;
  }
  ctx.self = server.url;
  transcoder.resume();
  replicator.start();
  settings.log("content node listening", { url: server.url, dir: settings.dir });

  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    stop: () =>
      (stopping ??= (async () => {
        await server.close();
        await transcoder.stop();
        await replicator.stop();
        db.close();
      })()),
  };
}
