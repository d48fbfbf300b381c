import { createAsix, type Asix } from "../../sdk";
import type { DevnetDescriptor } from "../../sdk";

/**
 * What the explorer's network panel shows, gathered here (the devnet side) rather than in the
 * page: both chains' heights, and every registered node with its stake (the eth chain's registry,
 * through the SDK) and its health and lag (its own /health_check).
 */

export interface ExplorerChain {
  name: "eth" | "data";
  chainId: number;
  url: string;
  /** null when the chain did not answer */
  height: number | null;
}

export interface ExplorerNode {
  type: "content-node" | "discovery-node";
  spId: number;
  endpoint: string;
  owner: string;
  /** wei, decimal strings */
  stake: string;
  delegated: string;
  /** healthy, unhealthy (answered, not healthy) or unreachable */
  health: "healthy" | "unhealthy" | "unreachable";
  /** a discovery node's blocks behind the data chain */
  lag: number | null;
  /** a content node's upload count */
  uploads: number | null;
}

export interface ExplorerNetwork {
  chains: ExplorerChain[];
  nodes: ExplorerNode[];
  at: string;
}

const HEALTH_TIMEOUT_MS = 1500;

export function networkStatus(network: DevnetDescriptor): () => Promise<ExplorerNetwork> {
  const asix: Asix = createAsix({ network });
  return async () => {
    const [chains, registered] = await Promise.all([
      Promise.all([
        chain("eth", network.ethChain.chainId, network.ethChain.url),
        chain("data", network.dataChain.chainId, network.dataChain.url),
      ]),
      Promise.all([asix.staking.listServiceProviders("content-node"), asix.staking.listServiceProviders("discovery-node")]).then((lists) => lists.flat()),
    ]);
    const nodes = await Promise.all(
      registered.map(async (n): Promise<ExplorerNode> => {
        const [sp, health] = await Promise.all([asix.staking.getServiceProvider(n.owner).catch(() => undefined), healthOf(n.endpoint)]);
        return {
          type: n.type as ExplorerNode["type"],
          spId: n.spId,
          endpoint: n.endpoint,
          owner: n.owner,
          stake: String(sp?.deployerStake ?? 0n),
          delegated: String(sp?.delegatedStake ?? 0n),
          ...health,
        };
      }),
    );
    return { chains, nodes, at: new Date().toISOString() };
  };
}

async function chain(name: ExplorerChain["name"], chainId: number, url: string): Promise<ExplorerChain> {
  const height = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
    signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
  })
    .then((res) => res.json() as Promise<{ result?: string }>)
    .then((body) => (body.result ? Number(BigInt(body.result)) : null))
    .catch(() => null);
  return { name, chainId, url, height };
}

async function healthOf(endpoint: string): Promise<Pick<ExplorerNode, "health" | "lag" | "uploads">> {
  try {
    const res = await fetch(`${endpoint.replace(/\/+$/, "")}/health_check`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    const body = (await res.json()) as { data?: { healthy?: boolean; block_difference?: number; uploadsCount?: number } };
    const data = body.data ?? {};
    return {
      health: res.ok && data.healthy !== false ? "healthy" : "unhealthy",
      lag: typeof data.block_difference === "number" ? data.block_difference : null,
      uploads: typeof data.uploadsCount === "number" ? data.uploadsCount : null,
    };
  } catch {
    return { health: "unreachable", lag: null, uploads: null };
  }
}
