import { Router } from "express";
import type { JsonRpcProvider } from "ethers";
import { AsixError } from "../../../sdk/errors";
import { toAsixError } from "../../../sdk/staking/revert";
import type { Logger } from "../http";
import type { IdentityDb } from "./db";
import type { RelayerPool } from "./relayerPool";
import { DAY, HOUR, RateLimiter } from "./rateLimit";
import { relayPipeline } from "./relayPipeline";
import { rpcOverHttp } from "./chainRpc";
import { clientIp, type RequestLimiter } from "./requestLimits";
import { ethRelayWhitelist, type EthRelayContracts, type EthRelayRequest } from "./ethRelayWhitelist";

/**
 * POST /eth_relay: gasless staking on the eth chain, for users who hold $AUDIO but no ETH.
 * Whitelist (./ethRelayWhitelist): AsixToken.permit to Staking, DelegateManager.delegateStakeFor
 * and ServiceProviderFactory.increaseStakeFor, whose contracts act for the wallet that signed, so
 * the relayer only pays the gas. Every signature is recovered and the call dry-run (eth_call)
 * before anything is sent; a wallet gets a few relayed calls per UTC day, and an IP some more
 * per hour.
 */

export interface EthRelayDeps {
  provider: JsonRpcProvider;
  chainId: number;
  contracts: EthRelayContracts;
  pool: RelayerPool;
  db: IdentityDb;
  /** relayed calls per wallet per UTC day */
  dailyLimit: number;
  /** relayed calls per client IP per hour */
  ipHourlyLimit: number;
  requests: RequestLimiter;
  log: Logger;
}

/** the limiters' action key: all eth relay calls of a wallet (or an IP) share one budget */
const ETH_RELAY_LIMIT_KEY = "EthRelay";

export function ethRelayRoutes(deps: EthRelayDeps): Router {
  const router = Router();
  const whitelist = ethRelayWhitelist(deps.provider, deps.chainId, deps.contracts);
  const perWallet = new RateLimiter(deps.db, { [ETH_RELAY_LIMIT_KEY]: deps.dailyLimit }, DAY, "wallet");
  const perIp = new RateLimiter(deps.db, { [ETH_RELAY_LIMIT_KEY]: deps.ipHourlyLimit }, HOUR, "IP");

  const handler = relayPipeline({ rpc: rpcOverHttp(deps.provider), pool: deps.pool, log: deps.log, chainName: "eth chain" }, (req) => {
    const parsed = whitelist.parse((req.body ?? {}) as Partial<EthRelayRequest>);
    const ip = clientIp(req);
    return {
      // one relayed call per wallet at a time: each one consumes the nonces the next is checked against
      inFlightKey: parsed.signer,
      conflictMessage: "a call of this wallet is already being relayed",
      async check() {
        const call = await parsed.verify();
        return {
          to: call.to,
          data: call.data,
          gasLimit: call.gasLimit,
          refuseRevert(revert) {
            const reverted = toAsixError(revert, { action: call.method });
            return new AsixError("CHAIN_REVERTED", `the eth chain would revert this call, so nothing was relayed: ${reverted.message}`, {
              cause: revert,
              details: reverted.details,
            });
          },
          limits: [
            [perWallet, parsed.signer, ETH_RELAY_LIMIT_KEY],
            [perIp, `ip:${ip}`, ETH_RELAY_LIMIT_KEY],
          ],
          logFields: { method: call.method, signer: call.signer, digest: call.digest, ip },
        };
      },
    };
  });
  router.post("/eth_relay", deps.requests.limit("relay"), handler);
  return router;
}
