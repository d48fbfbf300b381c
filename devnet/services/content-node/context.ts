import type { Wallet } from "ethers";
import type { Logger } from "../http";
import type { BlobStore } from "./blobStore";
import type { ContentDb } from "./db";
import type { UploadLimits } from "./uploadLimits";

/** A registered discovery node: where it answers, and the wallet that signs its stream signatures. */
export interface DiscoveryNodeRef {
  endpoint: string;
  delegateOwnerWallet: string;
}

/** The resolved configuration every module of the node reads (defaults filled in). */
export interface ContentNodeSettings {
  dir: string;
  wallet: Wallet;
  spId: number;
  replicationFactor: number;
  peers: () => string[] | Promise<string[]>;
  discoverySigners: () => string[] | Promise<string[]>;
  discoveryNodes: () => DiscoveryNodeRef[] | Promise<DiscoveryNodeRef[]>;
  maxAudioBytes: number;
  maxImageBytes: number;
  uploadLimits: UploadLimits;
  transcodeWorkers: number;
  repairIntervalMs: number;
  log: Logger;
}

/** What the request handlers and background loops share. `self` is known once the server listens. */
export interface NodeContext {
  settings: ContentNodeSettings;
  db: ContentDb;
  store: BlobStore;
  self: string;
  /** queue an audio upload for transcoding */
  enqueueTranscode(uploadId: string): void;
  /** place these blobs on their replica set (fire and forget; repair retries what fails) */
  replicate(cids: string[]): void;
  /** a peer that holds `cid`, in rendezvous order, or undefined */
  findHolder(cid: string): Promise<string | undefined>;
  /** last known health of each peer, filled by the repair loop */
  peerHealths: Record<string, { healthy: boolean; checkedAt: string }>;
}

/** Endpoints compare equal regardless of a trailing slash. */
export const sameEndpoint = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
