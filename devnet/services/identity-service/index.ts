import { JsonRpcProvider, Wallet, getAddress } from "ethers";
import { listen } from "../http";
import { openIdentityDb } from "./db";
import { createIdentityApp } from "./app";
import { RelayerPool } from "./relayerPool";
import { DEFAULT_RATE_LIMITS, RelayRateLimiter } from "./rateLimit";
import type { OAuthClientConfig } from "./verification";

export type { OAuthClientConfig } from "./verification";
export { verificationStartData } from "./verification";
export { DEFAULT_RATE_LIMITS } from "./rateLimit";
export { startOAuthProvider, DEVNET_OAUTH_ACCOUNTS } from "./oauthProvider";
export type { RunningOAuthProvider, OAuthProviderConfig, OAuthProviderAccount, OAuthProviderClient } from "./oauthProvider";

export interface IdentityServiceConfig {
  /** SQLite file lives here; created if missing */
  dir: string;
  /** default 0 (any free port on 127.0.0.1) */
  port?: number;
  dataChain: { rpcUrl: string; chainId: number; entityManagerAddress: string };
  /** private keys of the funded relayer wallets (the pool) */
  relayerPrivateKeys: string[];
  /** the EntityManager verifier's private key, for social verification (manageIsVerified) */
  verifierPrivateKey?: string;
  /** per-signer, per-action hourly limits, e.g. { CreateUser: 10, CreateTrack: 100, FollowUser: 2000, default: 1000 } */
  rateLimits?: Record<string, number>;
  /** relayer balance under which a top-up warning is logged (wei); default 1 ETH */
  lowBalanceWei?: bigint;
  /** social verification provider; with verifierPrivateKey it enables /verification/start and /verification/callback */
  oauth?: OAuthClientConfig;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface RunningIdentityService {
  url: string;
  stop(): Promise<void>;
}

export async function startIdentityService(config: IdentityServiceConfig): Promise<RunningIdentityService> {
  const log = config.log ?? (() => {});
  const { rpcUrl, chainId } = config.dataChain;
  const provider = new JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1 });
  provider.pollingInterval = 50;
  const db = openIdentityDb(config.dir);
  let server: Awaited<ReturnType<typeof listen>> | undefined;
  try {
    const pool = await RelayerPool.create({
      provider,
      chainId,
      privateKeys: config.relayerPrivateKeys,
      lowBalanceWei: config.lowBalanceWei ?? 10n ** 18n,
      log,
    });
    const limiter = new RelayRateLimiter(db, { ...DEFAULT_RATE_LIMITS, ...config.rateLimits });
    const entityManagerAddress = getAddress(config.dataChain.entityManagerAddress);
    const verification =
      config.oauth && config.verifierPrivateKey
        ? {
            db,
            oauth: config.oauth,
            publicUrl: () => server!.url,
            provider,
            verifier: new Wallet(config.verifierPrivateKey, provider),
            entityManagerAddress,
            log,
          }
        : undefined;
    const app = createIdentityApp({
      db,
      relay: { provider, chainId, entityManagerAddress, pool, limiter, log },
      verification,
      log,
    });
    server = await listen(app, config.port ?? 0);
  } catch (e) {
    provider.destroy();
    db.close();
    throw e;
  }
  const running = server;
  log("identity service listening", { url: running.url });
  return {
    url: running.url,
    async stop() {
      await running.close();
      provider.destroy();
      db.close();
    },
  };
}
