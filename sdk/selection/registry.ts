import { AsixError } from "../errors";
import { abiDecode, abiEncode, type AbiType, type AbiValue } from "../eth/abi";
import { bytes32String, bytesToHex, hexToBytes, id, isAddress } from "../eth/bytes";
import { requestJson, type HttpClient } from "../http";
import type { NetworkConfig } from "../network";
import type { ServiceTypeName } from "../protocol/nodes";

/**
 * The endpoints of every node of one type registered on the eth chain's ServiceProviderFactory:
 * how a client with no configured discovery node finds the network, as the reference clients do.
 * Two view calls over plain JSON-RPC with the SDK's own ABI codec, so a read-only app never loads
 * ethers or the contract ABIs for it.
 */
export async function listRegisteredEndpoints(network: NetworkConfig, type: ServiceTypeName, http: HttpClient = {}): Promise<string[]> {
  const eth = network.ethChain;
  const address = eth?.contracts?.serviceProviderFactory;
  if (!eth?.rpcUrl || !address || !isAddress(address)) {
    throw new AsixError("INVALID_INPUT", "no discovery node is configured: give network.discoveryNodes (or discoveryUrl), or network.ethChain with contracts.serviceProviderFactory");
  }
  const call = (signature: string, types: AbiType[], values: AbiValue[]) => ethCall(http, eth.rpcUrl, address, signature, types, values);
  const typeId = bytes32String(type);
  try {
    const [count] = abiDecode(["uint256"], await call("getTotalServiceTypeProviders(bytes32)", ["bytes32"], [typeId]));
    const infos = await Promise.all(
      Array.from({ length: Number(count) }, (_, i) =>
        call("getServiceEndpointInfo(bytes32,uint256)", ["bytes32", "uint256"], [typeId, BigInt(i + 1)]).then((data) =>
          abiDecode(["address", "string", "uint256", "address"], data),
        ),
      ),
    );
    return infos
      .filter(([owner, endpoint]) => BigInt(owner as string) !== 0n && endpoint !== "")
      .map(([, endpoint]) => (endpoint as string).replace(/\/+$/, ""));
  } catch (cause) {
    if (cause instanceof AsixError) throw cause;
    throw new AsixError("NODE_UNAVAILABLE", `cannot read the node registry at ${eth.rpcUrl}`, { cause });
  }
}

async function ethCall(http: HttpClient, rpcUrl: string, to: string, signature: string, types: AbiType[], values: AbiValue[]): Promise<Uint8Array> {
  const data = id(signature).slice(0, 10) + bytesToHex(abiEncode(types, values)).slice(2);
  const answer = await requestJson<{ result?: string; error?: { message?: string } }>(
    http,
    { method: "POST", url: rpcUrl, json: { jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to, data }, "latest"] } },
    "node registry",
  );
  if (typeof answer?.result !== "string") {
    throw new AsixError("NODE_UNAVAILABLE", `node registry: ${rpcUrl} answered eth_call with ${answer?.error?.message ?? "no result"}`);
  }
  return hexToBytes(answer.result);
}
