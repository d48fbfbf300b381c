import os from "node:os";
import type { EIP1193Provider, HardhatUserConfig } from "hardhat/types";
import { AsixError } from "../sdk/errors";

/** The devnet's accounts come from the well-known Hardhat test mnemonic: never use them on a real chain. */
export const DEVNET_MNEMONIC = "test test test test test test test test test test test junk";

export interface ChainOptions {
  /** EVM chain id. */
  chainId: number;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** How many funded accounts to derive from the mnemonic. */
  accounts?: number;
  /** ETH balance of each account, in wei. */
  balanceWei?: bigint;
  /** Genesis timestamp (ISO); set when replaying a saved chain so block hashes come out the same. */
  initialDate?: string;
}

export interface Chain {
  chainId: number;
  /** JSON-RPC URL. */
  url: string;
  /** In-process EIP-1193 provider (no HTTP hop), for deployment and tests. */
  provider: EIP1193Provider;
  close(): Promise<void>;
}

/**
 * Start one in-process Hardhat (EDR) chain with a JSON-RPC server on 127.0.0.1. It needs no
 * hardhat.config and no compiler, so it runs in any app that depends on `asix`. These are
 * Hardhat 2.29 internal paths; the version is pinned for that reason.
 */
export async function startChain(options: ChainOptions): Promise<Chain> {
  const { resolveConfig } = require("hardhat/internal/core/config/config-resolution");
  const { createProvider } = require("hardhat/internal/core/providers/construction");
  const { JsonRpcServer } = require("hardhat/internal/hardhat-network/jsonrpc/server");

  const userConfig: HardhatUserConfig = {
    networks: {
      hardhat: {
        chainId: options.chainId,
        hardfork: "cancun",
        accounts: {
          mnemonic: DEVNET_MNEMONIC,
          count: options.accounts ?? 20,
          accountsBalance: (options.balanceWei ?? 10n ** 24n).toString(),
        },
        mining: { auto: true, interval: 0 },
        loggingEnabled: false,
        allowBlocksWithSameTimestamp: true,
        ...(options.initialDate ? { initialDate: options.initialDate } : {}),
      },
    },
  };
  // resolveConfig wants an existing config path only to anchor project paths; nothing is read from it.
  const config = resolveConfig(__filename, { ...userConfig, paths: { root: os.tmpdir() } });
  const provider: EIP1193Provider = await createProvider(config, "hardhat");
  const server = new JsonRpcServer({ hostname: "127.0.0.1", port: options.port ?? 0, provider });
  let address: { address: string; port: number };
  try {
    address = await server.listen();
  } catch (cause) {
    throw new AsixError("NODE_UNAVAILABLE", `cannot start chain ${options.chainId} on port ${options.port}`, { cause });
  }
  return {
    chainId: options.chainId,
    url: `http://127.0.0.1:${address.port}`,
    provider,
    close: () => server.close(),
  };
}
