import { JsonRpcProvider, ZeroAddress, isAddress } from "ethers";
import { AsixError } from "../errors";
import type { NetworkConfig } from "../network";
import { ETH_CONTRACTS } from "../protocol/ethContracts";
import type { ServiceTypeName } from "../protocol/nodes";
import { serviceTypeBytes32 } from "../staking/protocol";

/**
 * The endpoints of every node of one type registered on the eth chain's ServiceProviderFactory:
 * how a client with no configured discovery node finds the network, as the reference clients do.
 */
export async function listRegisteredEndpoints(network: NetworkConfig, type: ServiceTypeName): Promise<string[]> {
  const eth = network.ethChain;
  const address = eth?.contracts?.serviceProviderFactory;
  if (!eth?.rpcUrl || !address || !isAddress(address)) {
    throw new AsixError("INVALID_INPUT", "no discovery node is configured: give network.discoveryNodes (or discoveryUrl), or network.ethChain with contracts.serviceProviderFactory");
  }
  const provider = new JsonRpcProvider(eth.rpcUrl, eth.chainId, { staticNetwork: true });
  try {
    const factory = ETH_CONTRACTS.serviceProviderFactory.factory.connect(address, provider);
    const typeId = serviceTypeBytes32(type);
    const count = Number(await factory.getTotalServiceTypeProviders(typeId));
    const infos = await Promise.all(Array.from({ length: count }, (_, i) => factory.getServiceEndpointInfo(typeId, i + 1)));
    return infos.filter((info) => info.owner !== ZeroAddress && info.endpoint !== "").map((info) => info.endpoint.replace(/\/+$/, ""));
  } catch (cause) {
    if (cause instanceof AsixError) throw cause;
    throw new AsixError("NODE_UNAVAILABLE", `cannot read the node registry at ${eth.rpcUrl}`, { cause });
  } finally {
    provider.destroy();
  }
}
