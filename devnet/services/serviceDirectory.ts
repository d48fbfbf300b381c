import { JsonRpcProvider, encodeBytes32String } from "ethers";
import { ETH_CONTRACTS } from "../../sdk/protocol/ethContracts";
import type { RegisteredNode, ServiceTypeName } from "../../sdk/protocol/nodes";

/**
 * Who runs which node, read from ServiceProviderFactory's state on the eth chain. Content nodes
 * use it for their peers (replication, repair, 302s) and for the discovery nodes whose stream
 * signatures they accept. Answers are cached briefly: this sits on request paths.
 */

export type { RegisteredNode };

export interface ServiceDirectory {
  list(type: ServiceTypeName): Promise<RegisteredNode[]>;
  close(): void;
}

export function createServiceDirectory(config: { rpcUrl: string; chainId: number; serviceProviderFactoryAddress: string; cacheMs?: number }): ServiceDirectory {
  const provider = new JsonRpcProvider(config.rpcUrl, config.chainId, { staticNetwork: true, batchMaxCount: 50 });
  const factory = ETH_CONTRACTS.serviceProviderFactory.factory.connect(config.serviceProviderFactoryAddress, provider);
  const cache = new Map<string, { at: number; nodes: Promise<RegisteredNode[]> }>();

  async function read(type: ServiceTypeName): Promise<RegisteredNode[]> {
    const serviceType = encodeBytes32String(type);
    const total = Number(await factory.getTotalServiceTypeProviders(serviceType));
    const infos = await Promise.all(Array.from({ length: total }, (_, i) => factory.getServiceEndpointInfo(serviceType, i + 1)));
    return infos
      .map((info, i) => ({ type, spId: i + 1, endpoint: info.endpoint, owner: info.owner, delegateOwnerWallet: info.delegateOwnerWallet, blockNumber: Number(info.blockNumber) }))
      .filter((n) => n.endpoint !== "");
  }

  return {
    list(type) {
      const hit = cache.get(type);
      if (hit && Date.now() - hit.at < (config.cacheMs ?? 1000)) return hit.nodes;
      const nodes = read(type);
      // A failed read is not cached: the next call tries again.
      nodes.catch(() => cache.delete(type));
      cache.set(type, { at: Date.now(), nodes });
      return nodes;
    },
    close: () => provider.destroy(),
  };
}
