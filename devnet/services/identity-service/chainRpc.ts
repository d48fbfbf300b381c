import { isHexString, type JsonRpcProvider } from "ethers";

/**
 * The JSON-RPC calls the relay makes on its hot path (dry run, nonce, balance, fees, send,
 * receipt), whichever way the chain is reached. Inside the devnet the data chain runs in the same
 * process, and each call over HTTP cost an HTTP request on both sides of the same thread (ethers'
 * client and Hardhat's server) for a call whose EVM work is a fraction of that; in process, the
 * call goes to the chain's provider directly. `asix node run identity-service` reaches it over HTTP.
 *
 * A call the contract reverts rejects with `code: "CALL_EXCEPTION"` and the revert `data`, as
 * ethers reports it; anything else (the chain is gone, the node refused a send) rejects as it came.
 */
export interface ChainRpc {
  send(method: string, params: unknown[]): Promise<any>;
}

/** An EIP-1193 provider, such as the devnet chain's in-process one (devnet/chain.ts `Chain.provider`). */
export interface InProcessProvider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

/** Over HTTP through ethers (its errors already carry CALL_EXCEPTION and the revert data). */
export function rpcOverHttp(provider: JsonRpcProvider): ChainRpc {
  return { send: (method, params) => provider.send(method, params) };
}

/** Straight to a provider in this process: no HTTP, no JSON encoding. */
export function rpcInProcess(provider: InProcessProvider): ChainRpc {
  return {
    async send(method, params) {
      try {
        return await provider.request({ method, params });
      } catch (cause) {
        // Hardhat reports an eth_call revert as an error whose `data` is the revert data
        const data = (cause as { data?: unknown })?.data;
        if (method === "eth_call" && typeof data === "string" && isHexString(data)) {
          throw Object.assign(new Error(`execution reverted: ${(cause as Error).message}`), { code: "CALL_EXCEPTION", data, cause });
        }
        throw cause;
      }
    },
  };
}
