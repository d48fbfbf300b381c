import { JsonRpcProvider, Wallet, getAddress } from "ethers";
import { listen } from "../http";
import { openIdentityDb } from "./db";
import { createIdentityApp } from "./app";
import { RelayerPool } from "./relayerPool";
import { DEFAULT_RATE_LIMITS, RelayRateLimiter } from "./rateLimit";
import type { OAuthClientConfig } from "./verification";

export type { OAuthClientConfig } from "./verification";
export { verificationStartData } from "../../../sdk/signatures";
export { DEFAULT_RATE_LIMITS, rateLimitKey } from "./rateLimit";
export { startOAuthProvider, startDevnetOAuth, DEVNET_OAUTH_ACCOUNTS } from "./oauthProvider";
export type { RunningOAuthProvider, OAuthProviderConfig, OAuthProviderAccount, OAuthProviderClient, DevnetOAuth } from "./oauthProvider";

/**
 * The identity service (PROTOCOL.md §7):
 *   POST /relay                  signed EntityManager.manageEntity → receipt, gas paid by the relayer pool
 *   POST /eth_relay              gasless staking on the eth chain (when `ethChain` is set): permit to
 *                                Staking, DelegateManager.delegateStakeFor, ServiceProviderFactory.increaseStakeFor
 *   POST /authentication         {iv, cipherText, lookupKey[, oldLookupKey]} store (or replace) a wallet ciphertext
 *   GET  /authentication         ?lookupKey=&email= → {iv, cipherText, lookupKey}; 404 for any miss
 *   POST /user                   {email, walletAddress};  GET /users/check?email= → {exists}
 *   GET  /verification/start     signed by the user's wallet → 302 to the OAuth provider (when `oauth` is set)
 *   GET  /verification/callback  code + state → token exchange (PKCE) → manageIsVerified(userId, true)
 *   GET  /health_check
 */
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
  /** the eth chain, for POST /eth_relay (gasless permit, delegate and stake increase); absent → no eth relay */
  ethChain?: {
    rpcUrl: string;
    chainId: number;
    tokenAddress: string;
    stakingAddress: string;
    delegateManagerAddress: string;
    serviceProviderFactoryAddress: string;
  };
  /** eth-chain relayer keys; default relayerPrivateKeys (the devnet funds the same accounts on both chains) */
  ethRelayerPrivateKeys?: string[];
  /** eth calls (permit, delegate, stake increase) relayed per wallet per UTC day; default 5 */
  ethRelayDailyLimit?: number;
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
  const ethProvider = config.ethChain
    ? new JsonRpcProvider(config.ethChain.rpcUrl, config.ethChain.chainId, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1 })
    : undefined;
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
    const ethRelay =
      config.ethChain && ethProvider
        ? {
            provider: ethProvider,
            chainId: config.ethChain.chainId,
            contracts: {
              token: config.ethChain.tokenAddress,
              staking: config.ethChain.stakingAddress,
              delegateManager: config.ethChain.delegateManagerAddress,
              serviceProviderFactory: config.ethChain.serviceProviderFactoryAddress,
            },
            pool: await RelayerPool.create({
              provider: ethProvider,
              chainId: config.ethChain.chainId,
              privateKeys: config.ethRelayerPrivateKeys ?? config.relayerPrivateKeys,
              lowBalanceWei: config.lowBalanceWei ?? 10n ** 18n,
              log,
            }),
            db,
            dailyLimit: config.ethRelayDailyLimit ?? 5,
            log,
          }
        : undefined;
    const app = createIdentityApp({
      db,
      relay: { provider, chainId, entityManagerAddress, pool, limiter, log },
      verification,
      ethRelay,
      log,
      healthWallet: new Wallet(config.relayerPrivateKeys[0]),
    });
    server = await listen(app, config.port ?? 0);
  } catch (e) {
    provider.destroy();
    ethProvider?.destroy();
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
      ethProvider?.destroy();
      db.close();
    },
  };
}
