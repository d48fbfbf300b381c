import { sha256 } from "./platform/sha256";
import { bytesToHex, utf8Bytes } from "./eth/bytes";

/**
 * Rendezvous (highest-random-weight) ranking: every party ranks the nodes for a CID the same way,
 * by sha256(host ‖ cid), with no coordination. Content nodes place blobs on the top R; clients and
 * the discovery node look there first.
 */
export function rendezvousRank(nodes: readonly string[], cid: string): string[] {
  return nodes
    .map((node) => ({ node, score: bytesToHex(sha256(utf8Bytes(hostOf(node) + cid))) }))
    .sort((a, b) => (a.score < b.score ? 1 : a.score > b.score ? -1 : a.node < b.node ? -1 : 1))
    .map((x) => x.node);
}

/** The R nodes that should hold a CID. */
export function replicaSet(nodes: readonly string[], cid: string, replicationFactor: number): string[] {
  return rendezvousRank(nodes, cid).slice(0, replicationFactor);
}

/** host[:port] of an endpoint URL (the string that is hashed), or the string itself if not a URL. */
function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}
