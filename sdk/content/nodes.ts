import { AsixError } from "../errors";
import { request, requestJson } from "../http";
import type { AsixClient } from "../client";
import { CONTENT_NODE_HEALTH_TIMEOUT_MS, isContentNodeUsable, type DiscoveryHealth } from "../protocol/health";

/**
 * The content nodes of the network: the configured list, or the registry's list that the discovery
 * node reports in `network.content_nodes` (objects with `endpoint`, PROTOCOL.md §8).
 */
export async function listContentNodes(client: AsixClient): Promise<string[]> {
  if (client.network.contentNodes?.length) return client.network.contentNodes;
  const health = await requestJson<DiscoveryHealth>(client, { url: `${client.network.discoveryUrl}/health_check` }, "discovery health check");
  const nodes = (health.data?.network?.content_nodes ?? []).map((n) => n?.endpoint).filter((e): e is string => typeof e === "string" && e !== "");
  if (nodes.length === 0) throw new AsixError("NODE_UNAVAILABLE", "the network has no content nodes");
  return nodes;
}

/** A content node to upload to: the first one, from a random start, that answers its health check usable in time. */
export async function pickContentNode(client: AsixClient): Promise<string> {
  const nodes = await listContentNodes(client);
  const start = Math.floor(Math.random() * nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[(start + i) % nodes.length].replace(/\/+$/, "");
    try {
      const res = await request(client, { url: `${node}/health_check`, timeoutMs: CONTENT_NODE_HEALTH_TIMEOUT_MS }, "content node health check");
      if (res.status === 200 && isContentNodeUsable(await res.json())) return node;
    } catch {
      // try the next one
    }
  }
  throw new AsixError("NODE_UNAVAILABLE", `no healthy content node among ${nodes.length}`);
}
