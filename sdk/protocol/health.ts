import type { Signer, Wallet } from "ethers";
import { recoverDataSigner, signData } from "../signatures";
import { PROTOCOL_VERSION } from "./version";

/**
 * `/health_check` of every service (PROTOCOL.md §5, §6, §8): `{data, …extra, signer, signature,
 * timestamp}`, where `signature` is the node's delegate wallet's EIP-191 signature over
 * canonicalJson({data, timestamp}). The one place the envelope is built and checked.
 */

export { PROTOCOL_VERSION };

/** A registered content node in a discovery node's network list, with the registry's fields. */
export interface NetworkContentNode {
  /** the node's URL */
  endpoint: string;
  /** the wallet the node signs with */
  delegateOwnerWallet: string;
  /** its operator */
  owner: string;
  /** its id among content nodes */
  spID: number;
  /** always content-node */
  type: "content-node";
}

/** A registered discovery node in `network.discovery_nodes_with_owner`. */
export interface NetworkDiscoveryNode {
  /** the node's URL */
  endpoint: string;
  /** the wallet the node signs with */
  delegateOwnerWallet: string;
  /** its operator */
  ownerWallet: string;
}

/** The signed part of a discovery node's /health_check: its state and the network it sees. */
export interface DiscoveryHealthData {
  /** whether it serves reads and relays */
  healthy: boolean;
  /** which service answers */
  service: "discovery-node";
  /** PROTOCOL_VERSION */
  version: string;
  /** blocks it is behind the data chain */
  block_difference: number;
  /** the data chain's head */
  latest_chain_block: number;
  /** the last block it indexed */
  latest_indexed_block: number;
  /** whether it reaches the data chain */
  chain_health: {
    /** "Healthy" when its data-chain RPC answers */
    status: "Healthy" | "Unhealthy";
  };
  /** the registered nodes it knows of, from the eth chain */
  network: {
    /** the registered content nodes */
    content_nodes: NetworkContentNode[];
    /** the registered discovery nodes, each with its owner wallet */
    discovery_nodes_with_owner: NetworkDiscoveryNode[];
  };
}

/** The signed part of a content node's /health_check: its state, storage and peers. */
export interface ContentNodeHealthData {
  /** whether it takes uploads and serves blobs */
  healthy: boolean;
  /** which service answers */
  service: "content-node";
  /** PROTOCOL_VERSION */
  version: string;
  /** its own URL */
  self: string;
  /** its id among content nodes */
  spID: number;
  /** how many nodes keep each blob */
  replicationFactor: number;
  /** clients skip a node that says false (PROTOCOL.md §8) */
  diskHasSpace: boolean;
  /** bytes used on its storage disk */
  storagePathUsed: number;
  /** bytes of its storage disk */
  storagePathSize: number;
  /** uploads it holds */
  uploadsCount: number;
  /** what it last heard from each peer, by URL */
  peerHealths: Record<
    string,
    {
      /** whether the peer's /health_check answered healthy */
      healthy: boolean;
      /** when it last checked that peer (ISO 8601) */
      checkedAt: string;
    }
  >;
}

/** The signed part of the identity service's /health_check. */
export interface IdentityHealthData {
  /** whether it serves auth and relays */
  healthy: boolean;
  /** which service answers */
  service: "identity-service";
  /** PROTOCOL_VERSION */
  version: string;
  [field: string]: unknown;
}

/** A health answer: its data signed by the node's wallet, with the signer and timestamp. */
export type SignedHealth<D, Extra extends object = object> = {
  /** the signed health fields */
  data: D;
  /** the node's wallet address, which signed `data` and `timestamp` */
  signer: string;
  /** the signature over `{ data, timestamp }` */
  signature: string;
  /** when the answer was signed (ISO 8601) */
  timestamp: string;
} & Extra;

/** A discovery node's whole /health_check answer. */
export type DiscoveryHealth = SignedHealth<
  DiscoveryHealthData,
  {
    /** the node's messaging (comms) part, outside the signature */
    comms: {
      /** whether comms is up */
      healthy: boolean;
    };
  }
>;
/** A content node's whole /health_check answer. */
export type ContentNodeHealth = SignedHealth<ContentNodeHealthData>;
/** The identity service's whole /health_check answer. */
export type IdentityHealth = SignedHealth<IdentityHealthData>;

/** How long a client waits for a content node's /health_check before passing over it (PROTOCOL.md §8). */
export const CONTENT_NODE_HEALTH_TIMEOUT_MS = 3000;

/**
 * Whether a content node's /health_check answer makes it usable, by the reference clients' rule:
 * `diskHasSpace` true, and no average transcode time above 180 s when one is reported.
 */
export function isContentNodeUsable(body: unknown): boolean {
  const data = (body as { data?: { diskHasSpace?: unknown; transcodeStats?: { AvgTranscodeTime?: unknown } } } | undefined)?.data;
  if (data?.diskHasSpace !== true) return false;
  const avg = data.transcodeStats?.AvgTranscodeTime;
  return !(typeof avg === "number" && avg > 180);
}

/** Sign a health answer now; `extra` sits beside `data`, outside the signature (e.g. discovery's `comms`). */
export async function signHealth<D, Extra extends object = object>(
  wallet: Signer | Wallet,
  data: D,
  extra?: Extra,
): Promise<SignedHealth<D, Extra>> {
  const timestamp = new Date().toISOString();
  const signature = await signData(wallet, { data, timestamp });
  return { data, ...(extra as Extra), signer: await wallet.getAddress(), signature, timestamp };
}

/** The wallet that signed a health answer, or undefined when the signature does not hold. */
export function healthSigner(body: { data?: unknown; signature?: unknown; timestamp?: unknown }): string | undefined {
  if (typeof body?.signature !== "string" || typeof body.timestamp !== "string") return undefined;
  return recoverDataSigner({ data: body.data, timestamp: body.timestamp }, body.signature);
}
