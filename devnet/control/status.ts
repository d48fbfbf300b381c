import fs from "node:fs";
import path from "node:path";
import { JsonRpcProvider } from "ethers";
import { Staking__factory } from "../../typechain-types";
import type { RunningNodeHandle } from "../options";
import type { NodeFault } from "../services/faults";
import type { DevnetState } from "../state";

/** What `GET /status` (and `asix devnet status --json`) answers. */
export interface DevnetStatus {
  /** its state directory */
  dir: string;
  /** the process running it */
  pid: number;
  /** when it started, ISO 8601 */
  startedAt: string;
  /** both chains' heads */
  chains: {
    /** the eth chain (staking, governance) */
    eth: ChainStatus;
    /** the data chain (EntityManager) */
    data: ChainStatus;
  };
  /** the identity service, unless the devnet runs without it */
  identity?: {
    /** its URL */
    url: string;
    /** its /health_check answered healthy within a second */
    healthy: boolean;
  };
  /** every content and discovery node, in order */
  nodes: NodeStatus[];
}

/** One chain's JSON-RPC URL, id and head. */
export interface ChainStatus {
  /** its JSON-RPC URL */
  url: string;
  /** its chain id */
  chainId: number;
  /** its head, or null when it does not answer */
  blockNumber: number | null;
}

/** One node as `GET /status` sees it. */
export interface NodeStatus {
  /** content-1, discovery-1, ... */
  name: string;
  /** what it is */
  kind: "content-node" | "discovery-node";
  /** its URL, the same across stop and start */
  url: string;
  /** false after `node stop` until `node start` */
  running: boolean;
  /** its /health_check answered healthy within a second */
  healthy: boolean;
  /** a pause or slow put on it, if any */
  fault: NodeFault | null;
  /** the operator's stake on the eth chain, in wei (decimal string), or null when unknown */
  stake: string | null;
  /** discovery nodes: the data chain block it has indexed */
  indexedBlock?: number | null;
  /** discovery nodes: how many blocks it is behind the data chain's head */
  indexLag?: number | null;
  /** content nodes: blobs it holds on disk */
  blobs?: number;
}

const HEALTH_TIMEOUT_MS = 1000;

export async function devnetStatus(state: DevnetState, handles: RunningNodeHandle[]): Promise<DevnetStatus> {
  const eth = new JsonRpcProvider(state.ethChain.url, state.ethChain.chainId, { staticNetwork: true });
  const data = new JsonRpcProvider(state.dataChain.url, state.dataChain.chainId, { staticNetwork: true });
  try {
    const staking = Staking__factory.connect(state.ethChain.contracts.staking, eth);
    const [ethHead, dataHead] = await Promise.all([eth.getBlockNumber().catch(() => null), data.getBlockNumber().catch(() => null)]);
    const registered = [...state.contentNodes, ...state.discoveryNodes];
    const nodes = await Promise.all(
      handles.map(async (h): Promise<NodeStatus> => {
        const kind = h.name.startsWith("content-") ? "content-node" : "discovery-node";
        const operator = registered.find((n) => n.endpoint === h.url)?.delegateOwnerWallet;
        const [health, stake] = await Promise.all([
          h.running() ? healthOf(h.url) : undefined,
          operator ? staking.totalStakedFor(operator).then(String, () => null) : null,
        ]);
        const status: NodeStatus = { name: h.name, kind, url: h.url, running: h.running(), healthy: health?.healthy === true, fault: h.fault() ?? null, stake };
        if (kind === "discovery-node") {
          status.indexedBlock = typeof health?.latest_indexed_block === "number" ? health.latest_indexed_block : null;
          status.indexLag = status.indexedBlock !== null && dataHead !== null ? Math.max(0, dataHead - status.indexedBlock) : null;
        } else {
          status.blobs = countBlobs(path.join(state.dir, "data", h.name.replace(/^content-/, "content-node-")));
        }
        return status;
      }),
    );
    const identity = state.services.identity ? { url: state.services.identity, healthy: (await healthOf(state.services.identity))?.healthy === true } : undefined;
    return {
      dir: state.dir,
      pid: state.pid,
      startedAt: state.startedAt,
      chains: {
        eth: { url: state.ethChain.url, chainId: state.ethChain.chainId, blockNumber: ethHead },
        data: { url: state.dataChain.url, chainId: state.dataChain.chainId, blockNumber: dataHead },
      },
      identity,
      nodes,
    };
  } finally {
    eth.destroy();
    data.destroy();
  }
}

async function healthOf(url: string): Promise<{ healthy?: boolean; latest_indexed_block?: number } | undefined> {
  try {
    const res = await fetch(`${url}/health_check`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { data?: { healthy?: boolean; latest_indexed_block?: number } };
    return body.data;
  } catch {
    return undefined;
  }
}

/** Blobs sit in `blobs/<last two chars of the CID>/<CID>`. */
export function countBlobs(nodeDir: string): number {
  const blobsDir = path.join(nodeDir, "blobs");
  let n = 0;
  for (const shard of safeReaddir(blobsDir)) n += safeReaddir(path.join(blobsDir, shard)).length;
  return n;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
