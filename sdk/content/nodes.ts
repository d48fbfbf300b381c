import { AsixError } from "../errors";
import { requestJson } from "../http";
import type { AsixClient } from "../client";

/**
 * The content nodes of the network: the configured list, or the one the discovery node reports
 * from the eth chain's registry.
 */
export async function listContentNodes(client: AsixClient): Promise<string[]> {
  if (client.network.contentNodes?.length) return client.network.contentNodes;
  const health = await requestJson<{ data: { network?: { content_nodes?: Array<string | { endpoint: string }> } } }>(
    client.http,
    { url: `${client.network.discoveryUrl}/health_check` },
    "discovery health check",
  );
  const nodes = (health.data.network?.content_nodes ?? []).map((n) => (typeof n === "string" ? n : n.endpoint));
  if (nodes.length === 0) throw new AsixError("NODE_UNAVAILABLE", "the network has no content nodes");
  return nodes;
}

/** A content node to upload to: the first healthy one, starting from a random place. */
export async function pickContentNode(client: AsixClient): Promise<string> {
  const nodes = await listContentNodes(client);
  const start = Math.floor(Math.random() * nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[(start + i) % nodes.length].replace(/\/+$/, "");
    try {
      const res = await client.http.get(`${node}/health_check`, { timeout: 3000 });
      if (res.status === 200 && res.data?.data?.healthy !== false) return node;
    } catch {
      // try the next one
    }
  }
  throw new AsixError("NODE_UNAVAILABLE", `no healthy content node among ${nodes.length}`);
}
