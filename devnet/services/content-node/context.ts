import type { Wallet } from "ethers";
import type { CorsOrigins } from "../cors";
import type { FaultGate } from "../faults";
import type { Logger } from "../http";
import type { BlobStore } from "./blobStore";
import type { ContentDb } from "./db";
import type { BlobReader, ReadCheck } from "./integrity";
import type { NodeRef } from "../../../sdk/protocol/nodes";

/** A registered discovery node: where it answers, and the wallet that signs its stream signatures. */
export type DiscoveryNodeRef = NodeRef;

/** The resolved configuration every module of the node reads (defaults filled in). */
/** Per-client upload limits (uploadLimits.ts enforces them). */
export interface UploadLimits {
  /** uploads a client IP may start per minute (default 100) */
  perIpPerMinute: number;
  /** uploads a client IP may have in flight at once (default 8) */
  perIpConcurrent: number;
  /** longest audio accepted, in seconds (default 3 hours) */
  maxAudioSeconds: number;
}

export interface ContentNodeSettings {
  dir: string;
  wallet: Wallet;
  spId: number;
  replicationFactor: number;
  peers: () => string[] | Promise<string[]>;
  /** delegate wallets of the registered content nodes: who may call /internal */
  peerSigners: () => string[] | Promise<string[]>;
  discoverySigners: () => string[] | Promise<string[]>;
  discoveryNodes: () => DiscoveryNodeRef[] | Promise<DiscoveryNodeRef[]>;
  maxAudioBytes: number;
  maxImageBytes: number;
  uploadLimits: UploadLimits;
  transcodeWorkers: number;
  /** music analyses run at once (analyzer.ts) */
  analysisWorkers: number;
  repairIntervalMs: number;
  /** a repair round that found nothing to do doubles the wait before the next, up to this */
  repairIdleIntervalMs: number;
  /** each blob is rehashed in full at least this often by the background scrub */
  scrubIntervalMs: number;
  /** a disk read slower than this is treated as stuck */
  readTimeoutMs: number;
  /** how blob reads are checked against their CID; "off" only to measure what the check costs */
  readCheck: ReadCheck;
  /** web origins whose pages may call the node */
  corsOrigins: CorsOrigins;
  log: Logger;
}

/** What the request handlers and background loops share. `self` is known once the server listens. */
export interface NodeContext {
  settings: ContentNodeSettings;
  db: ContentDb;
  store: BlobStore;
  /** verified reads of stored blobs (integrity.ts) */
  reader: BlobReader;
  self: string;
  /** queue an audio upload for transcoding */
  enqueueTranscode(uploadId: string): void;
  /** queue a transcoded audio upload for music analysis */
  enqueueAnalysis(uploadId: string): void;
  /** place these blobs on their replica set (fire and forget; repair retries what fails) */
  replicate(cids: string[]): void;
  /** a peer, none of `exclude`, that holds `cid`, in rendezvous order, or undefined */
  findHolder(cid: string, exclude?: string[]): Promise<string | undefined>;
  /** the fault the devnet put this node into, if any (faults.ts) */
  faults: FaultGate;
  /** last known health of each peer, filled by the repair loop */
  peerHealths: Record<string, { healthy: boolean; checkedAt: string }>;
}

/** Endpoints compare equal regardless of a trailing slash. */
export const sameEndpoint = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
