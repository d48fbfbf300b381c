import { JsonRpcProvider, Wallet, getAddress } from "ethers";
import { resolveCorsOrigins, type CorsOrigins } from "../cors";
import { listen, type ServeOptions } from "../http";
import { createServiceMetrics } from "../node-runtime/metrics";
import { openIdentityDb } from "./db";
import { RelayLog } from "./relayLog";
import { createIdentityApp } from "./app";
import { RelayerPool } from "./relayerPool";
import { startSignerRecovery } from "./signatureWorkers";
import { DEFAULT_IP_RATE_LIMITS, DEFAULT_RATE_LIMITS, RateLimiter } from "./rateLimit";
import { requestLimiter, type RequestLimits } from "./requestLimits";
import { discoveryUserIndex } from "./userIndex";
import { rpcInProcess, rpcOverHttp, type InProcessProvider } from "./chainRpc";
import { recoverWithChain } from "./chainRecovery";
import type { OAuthClientConfig } from "./verification";

export type { OAuthClientConfig } from "./verification";
export { verificationStartData } from "../../../sdk/signatures";
export { DEFAULT_RATE_LIMITS, DEFAULT_IP_RATE_LIMITS, rateLimitKey } from "./rateLimit";
export { DEFAULT_REQUEST_LIMITS, type RequestLimits, type RouteGroup } from "./requestLimits";
export { METADATA_CAPS } from "./relayAdmission";

/**
 * The identity service (PROTOCOL.md §7):
 *   POST /relay                  signed EntityManager.manageEntity → receipt, gas paid by the relayer pool
 *   POST /eth_relay              gasless staking on the eth chain (when `ethChain` is set): permit to
 *                                Staking, DelegateManager.delegateStakeFor, ServiceProviderFactory.increaseStakeFor
 *   POST /authentication         {iv, cipherText, lookupKey[, oldLookupKey]} store (or replace) a wallet ciphertext
 *   GET  /authentication         ?lookupKey=&email= → {iv, cipherText, lookupKey}; 404 for any miss
 *   POST /user                   {email, walletAddress, timestamp, signature}: the wallet's holder declares its email
 *   GET  /users/check            ?email= → {exists: false} for every email (no email is ever taken; no enumeration)
 *   GET  /verification/start     signed by the user's wallet → 302 to the OAuth provider (when `oauth` is set)
 *   GET  /verification/callback  code + state → token exchange (PKCE) → manageIsVerified(userId, true)
 *   GET  /health_check
 */
export interface IdentityServiceConfig {
  /** TLS, drain, listen address and public URL (`asix node run` and `asix devnet up --tls` set them) */
  serve?: ServeOptions;
  /** SQLite file lives here; created if missing */
  dir: string;
  /** default 0 (any free port on 127.0.0.1) */
  port?: number;
  /**
   * `inProcess`: the chain's provider when the chain runs in this process (the devnet's): relays
   * call it directly instead of over HTTP. `rpcUrl` still serves everything else.
   */
  dataChain: { rpcUrl: string; chainId: number; entityManagerAddress: string; inProcess?: InProcessProvider };
  /** private keys of the funded relayer wallets (the pool) */
  relayerPrivateKeys: string[];
  /**
   * Data chain relayers send their next transaction before the last one is mined (default true;
   * needs a chain with a mempool, as every real one and the devnet's batched data chain have).
   * False holds each relayer until its send is answered: one transaction per relayer per block.
   */
  pipelinedRelayers?: boolean;
  /** the EntityManager verifier's private key, for social verification (manageIsVerified) */
  verifierPrivateKey?: string;
  /** per-signer, per-action hourly limits, e.g. { CreateUser: 10, CreateTrack: 100, FollowUser: 2000, default: 1000 } */
  rateLimits?: Record<string, number>;
  /** per-client-IP, per-action hourly limits of POST /relay; default DEFAULT_IP_RATE_LIMITS */
  ipRateLimits?: Record<string, number>;
  /** requests per minute per client IP and per key (lookup key, email, wallet), by route group; default DEFAULT_REQUEST_LIMITS */
  requestLimits?: { perIp?: Partial<RequestLimits["perIp"]>; perKey?: Partial<RequestLimits["perKey"]> };
  /** express's "trust proxy": the proxies (e.g. discovery nodes forwarding /relay) whose X-Forwarded-For names the client; default none */
  trustProxy?: boolean | string | string[];
  /**
   * discovery node URLs, asked on each use: the relay pays only for actions whose signer owns the
   * user there (or a user Create that can apply), and verification checks ownership there
   */
  discoveryNodes: () => string[] | Promise<string[]>;
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
  /** eth calls relayed per client IP per hour; default 50 */
  ethRelayIpHourlyLimit?: number;
  /** web origins whose pages may call the service: "*" (default) or exact origins */
  corsOrigins?: CorsOrigins;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface RunningIdentityService {
  url: string;
  stop(): Promise<void>;
}

export async function startIdentityService(config: IdentityServiceConfig): Promise<RunningIdentityService> {
  const metrics = createServiceMetrics("identity-service");
  const log = metrics.tap(config.log ?? (() => {}));
  const { rpcUrl, chainId } = config.dataChain;
  const provider = new JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1 });
  provider.pollingInterval = 50;
  const rpc = config.dataChain.inProcess ? rpcInProcess(config.dataChain.inProcess) : rpcOverHttp(provider);
  const db = openIdentityDb(config.dir);
  let server: Awaited<ReturnType<typeof listen>> | undefined;
  const signers = startSignerRecovery();
  const ethProvider = config.ethChain
    ? new JsonRpcProvider(config.ethChain.rpcUrl, config.ethChain.chainId, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1 })
    : undefined;
  try {
    const pool = await RelayerPool.create({
      rpc,
      chainId,
      privateKeys: config.relayerPrivateKeys,
      // the eth chain's pool below is never pipelined: the devnet's eth chain automines, and
      // Hardhat's automine refuses a nonce ahead of the account's instead of queueing it
      pipelined: config.pipelinedRelayers ?? true,
      signing: signers,
      lowBalanceWei: config.lowBalanceWei ?? 10n ** 18n,
      log,
    });
    const limiter = new RateLimiter(db, { ...DEFAULT_RATE_LIMITS, ...config.rateLimits });
    const ipLimiter = new RateLimiter(db, { ...DEFAULT_IP_RATE_LIMITS, ...config.ipRateLimits }, undefined, "IP");
    const requests = requestLimiter(db, config.requestLimits);
    const users = discoveryUserIndex(config.discoveryNodes, log);
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
            users,
            requests,
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
              rpc: rpcOverHttp(ethProvider),
              chainId: config.ethChain.chainId,
              privateKeys: config.ethRelayerPrivateKeys ?? config.relayerPrivateKeys,
              signing: signers,
              lowBalanceWei: config.lowBalanceWei ?? 10n ** 18n,
              log,
            }),
            db,
            dailyLimit: config.ethRelayDailyLimit ?? 5,
            ipHourlyLimit: config.ethRelayIpHourlyLimit ?? 50,
            requests,
            log,
          }
        : undefined;
    const app = createIdentityApp({
      db,
      relay: { rpc, chainId, entityManagerAddress, pool, limiter, ipLimiter, users, requests, signers: config.dataChain.inProcess ? recoverWithChain(rpc, signers) : signers, relayLog: new RelayLog(db), log },
      verification,
      ethRelay,
      requests,
      trustProxy: config.trustProxy,
      corsOrigins: resolveCorsOrigins(config.corsOrigins),
      log,
      healthWallet: new Wallet(config.relayerPrivateKeys[0]),
    });
    server = await listen(app, config.port ?? 0, undefined, { ...config.serve, log, metrics });
  } catch (e) {
    provider.destroy();
    ethProvider?.destroy();
    await signers.close();
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
      await signers.close();
      db.close();
    },
  };
}
