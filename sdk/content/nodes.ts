import { AsixError } from "../errors";
import { requestJson } from "../http";
import type { AsixClient } from "../client";
import { withDiscoveryNode } from "../selection";
import type { DiscoveryHealth } from "../protocol/health";

/**
 * The content nodes of the network: the configured list, or the registry's list that the discovery
 * node reports in `network.content_nodes` (objects with `endpoint`, PROTOCOL.md §8).
 */
export async function listContentNodes(client: AsixClient): Promise<string[]> {
  if (client.network.contentNodes?.length) return client.network.contentNodes;
  const health = await withDiscoveryNode(
    client.selection,
    (node) => requestJson<DiscoveryHealth>(client, { url: `${node}/health_check` }, "discovery health check"),
    { idempotent: true },
  );
  const nodes = (health.data?.network?.content_nodes ?? []).map((n) => n?.endpoint).filter((e): e is string => typeof e === "string" && e !== "");
  if (nodes.length === 0) throw new AsixError("NODE_UNAVAILABLE", "the network has no content nodes");
  return nodes;
}

/**
 * The content nodes to try for `key`, best first: rendezvous order (where the nodes themselves put
 * that key's blobs), healthy nodes only (sdk/selection). NODE_UNAVAILABLE when none is usable.
 */
export async function orderContentNodes(client: AsixClient, key: string): Promise<string[]> {
  return client.selection.content.order(await listContentNodes(client), key);
}
