import fs from "node:fs";
import path from "node:path";
import { Wallet } from "ethers";
import { AsixError } from "../../../sdk/errors";
import { resolveCorsOrigins, type CorsOrigins } from "../cors";
import { listen, type ServeOptions } from "../http";
import { createServiceMetrics } from "../node-runtime/metrics";
import { createFaultGate, type FaultGate } from "../faults";
import { createContentNodeApp } from "./app";
import { createBlobStore } from "./blobStore";
import type { ContentNodeSettings, DiscoveryNodeRef, NodeContext } from "./context";
import { openContentDb } from "./db";
import { createDiskAccess } from "./diskAccess";
import { createBlobReader, type ReadCheck } from "./integrity";
import { createReplicator } from "./replication";
import { createTranscoder } from "./transcoder";
import { createAnalyzer } from "./analyzer";
import { resolveUploadLimits, type UploadLimits } from "./uploadLimits";

export interface ContentNodeConfig {
  /** TLS, drain, listen address and public URL (`asix node run` and `asix devnet up --tls` set them) */
  serve?: ServeOptions;
  /** data dir: blobs, tmp, sqlite file; created if missing */
  dir: string;
  port?: number; // default 0 (a free port)
  /** the node's delegate wallet private key: signs /health_check */
  privateKey: string;
  spId?: number; // service provider id on the eth chain, 0 if unknown
  replicationFactor?: number; // default 2
  /** every content node endpoint in the network, this one included; asked on each use (it changes) */
  peers: () => string[] | Promise<string[]>;
  /** delegate wallets of the registered content nodes (the eth chain's registry): who may call /internal; default none */
  peerSigners?: () => string[] | Promise<string[]>;
  /** wallet addresses allowed to sign stream signatures (registered discovery nodes' delegate wallets) */
  discoverySigners: () => string[] | Promise<string[]>;
  /** registered discovery nodes, to report plays to the one whose signature started a stream; optional */
  discoveryNodes?: () => DiscoveryNodeRef[] | Promise<DiscoveryNodeRef[]>;
  maxAudioBytes?: number; // default 1 GiB
  maxImageBytes?: number; // default 25 MiB
  /** abuse limits on unsigned uploads: per-IP rate and concurrency, longest audio */
  uploadLimits?: Partial<UploadLimits>;
  transcodeWorkers?: number; // default 2
  /** music analyses (tempo, key, loudness, waveform) run at once after transcodes; default 1 */
  analysisWorkers?: number;
  /** how often the repair loop re-places every local blob and checks peers; default 15 s (use ~1 s on a devnet) */
  repairIntervalMs?: number;
  /**
   * rounds that find nothing to do (no push, no hand-off, no upload, every peer healthy as before)
   * double the wait up to this; default repairIntervalMs (no slowing down)
   */
  repairIdleIntervalMs?: number;
  /** each blob is rehashed in full at least this often by the background scrub; default 1 h */
  scrubIntervalMs?: number;
  /** a disk read slower than this is treated as stuck; default 10 s */
  readTimeoutMs?: number;
  /** how blob reads are checked against their CID (integrity.ts); default "remembered"; "off" only to measure the check's cost */
  readCheck?: ReadCheck;
  /** bytes of checked blob chunks kept in memory for reads (hot tracks' ranges skip the disk); default 64 MiB, 0 for none */
  readCacheBytes?: number;
  /** web origins whose pages may call the node: "*" (default) or exact origins */
  corsOrigins?: CorsOrigins;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface RunningContentNode {
  url: string;
  /** the node's current fault (pause or slow), set by the devnet */
  faults: FaultGate;
  stop(): Promise<void>;
}

export const CONTENT_NODE_DB_FILE = "content-node.sqlite";

/** Start a content node on 127.0.0.1. With the same `dir` it resumes: uploads, blobs, unfinished transcodes and analyses. */
export async function startContentNode(config: ContentNodeConfig): Promise<RunningContentNode> {
  const metrics = createServiceMetrics("content-node");
  const settings: ContentNodeSettings = {
    dir: path.resolve(config.dir),
    wallet: new Wallet(config.privateKey),
    spId: config.spId ?? 0,
    replicationFactor: config.replicationFactor ?? 2,
    peers: config.peers,
    peerSigners: config.peerSigners ?? (() => []),
    discoverySigners: config.discoverySigners,
    discoveryNodes: config.discoveryNodes ?? (() => []),
    maxAudioBytes: config.maxAudioBytes ?? 1024 ** 3,
    maxImageBytes: config.maxImageBytes ?? 25 * 1024 ** 2,
    uploadLimits: resolveUploadLimits(config.uploadLimits),
    transcodeWorkers: Math.max(1, config.transcodeWorkers ?? 2),
    analysisWorkers: Math.max(1, config.analysisWorkers ?? 1),
    repairIntervalMs: config.repairIntervalMs ?? 15_000,
    repairIdleIntervalMs: config.repairIdleIntervalMs ?? config.repairIntervalMs ?? 15_000,
    scrubIntervalMs: config.scrubIntervalMs ?? 60 * 60 * 1000,
    readTimeoutMs: config.readTimeoutMs ?? 10_000,
    readCheck: config.readCheck ?? "remembered",
    corsOrigins: resolveCorsOrigins(config.corsOrigins),
    log: metrics.tap(config.log ?? (() => {})),
  };
  if (!["remembered", "every-read", "off"].includes(settings.readCheck)) {
    throw new AsixError("INVALID_INPUT", `readCheck must be remembered, every-read or off, not ${JSON.stringify(settings.readCheck)}`);
  }
  fs.mkdirSync(settings.dir, { recursive: true });
  const db = openContentDb(path.join(settings.dir, CONTENT_NODE_DB_FILE));
  const store = createBlobStore(settings.dir, db);
  metrics.gauge("asix_content_uploads", "uploads this node has taken", () => db.stats().uploads);
  metrics.gauge("asix_content_transcode_backlog", "uploads waiting for or in transcoding", () => db.stats().transcodeBacklog);
  metrics.gauge("asix_content_blobs", "blobs stored on this node", () => db.stats().blobs);
  const reader = createBlobReader({ store, db, disk: createDiskAccess(settings.readTimeoutMs), readCheck: settings.readCheck, cacheBytes: config.readCacheBytes ?? 64 * 1024 * 1024, log: settings.log });

  const ctx: NodeContext = {
    settings,
    db,
    store,
    reader,
    self: "",
    peerHealths: {},
    faults: createFaultGate(),
    enqueueTranscode: (id) => transcoder.enqueue(id),
    enqueueAnalysis: (id) => analyzer.enqueue(id),
    replicate: (cids) => replicator.replicate(cids),
    findHolder: (cid, exclude) => replicator.findHolder(cid, exclude),
  };
  const transcoder = createTranscoder(ctx);
  const analyzer = createAnalyzer(ctx);
  const replicator = createReplicator(ctx);
  metrics.gauge("asix_content_replication_backlog", "blobs taken up for placement on their replica set and not yet placed", () => replicator.backlog());

  let server;
  try {
    server = await listen(createContentNodeApp(ctx), config.port ?? 0, undefined, { ...config.serve, log: settings.log, metrics });
  } catch (err) {
    db.close();
    throw err;
  }
  ctx.self = server.url;
  transcoder.resume();
  analyzer.resume();
  replicator.start();
  settings.log("content node listening", { url: server.url, dir: settings.dir });

  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    faults: ctx.faults,
    stop: () =>
      (stopping ??= (async () => {
        await server.close();
        await transcoder.stop();
        await analyzer.stop();
        await replicator.stop();
        await reader.closeAll();
        db.close();
      })()),
  };
}
