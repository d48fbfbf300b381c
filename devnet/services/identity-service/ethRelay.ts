import { Router } from "express";
import { toQuantity, type JsonRpcProvider } from "ethers";
import { AsixError, isAsixError } from "../../../sdk/errors";
import { toAsixError } from "../../../sdk/staking/revert";
import type { Logger } from "../http";
import type { IdentityDb } from "./db";
import type { RelayerPool } from "./relayerPool";
import { RelayRateLimiter } from "./rateLimit";
import { ethRelayWhitelist, type EthRelayContracts, type EthRelayRequest } from "./ethRelayWhitelist";

/**
 * POST /eth_relay: gasless staking on the eth chain, for users who hold $AUDIO but no ETH.
 * Whitelist (./ethRelayWhitelist): AsixToken.permit to Staking, DelegateManager.delegateStakeFor
 * and ServiceProviderFactory.increaseStakeFor, whose contracts act for the wallet that signed, so
 * the relayer only pays the gas. Every signature is recovered and the call dry-run (eth_call)
 * before anything is sent; a wallet gets a few relayed calls per UTC day.
 */

export interface EthRelayDeps {
  provider: JsonRpcProvider;
  chainId: number;
  contracts: EthRelayContracts;
  pool: RelayerPool;
  db: IdentityDb;
  /** relayed calls per wallet per UTC day */
  dailyLimit: number;
  log: Logger;
}

/** the limiter's action key: all eth relay calls of a wallet share one daily budget */
const ETH_RELAY_LIMIT_KEY = "EthRelay";

export function ethRelayRoutes(deps: EthRelayDeps): Router {
  const router = Router();
  const whitelist = ethRelayWhitelist(deps.provider, deps.chainId, deps.contracts);
  const inFlight = new Set<string>();
  // one counter per wallet over every relayed call, in UTC days
  const limiter = new RelayRateLimiter(deps.db, { [ETH_RELAY_LIMIT_KEY]: deps.dailyLimit }, { seconds: 86_400, name: "day" });

  router.post("/eth_relay", async (req, res, next) => {
    try {
      const parsed = whitelist.parse((req.body ?? {}) as Partial<EthRelayRequest>);
      // one relayed call per wallet at a time: each one consumes the nonces the next is checked against
      const key = parsed.signer;
      if (inFlight.has(key)) throw new AsixError("CONFLICT", "a call of this wallet is already being relayed");
      inFlight.add(key);
      try {
        const call = await parsed.verify();
        const dryRun = await deps.provider
          .send("eth_call", [{ to: call.to, data: call.data, gas: toQuantity(call.gasLimit) }, "latest"])
          .then(() => undefined, (cause: unknown) => cause);
        if (dryRun !== undefined) {
          const reverted = toAsixError(dryRun, { action: call.method });
          if (reverted.code !== "CHAIN_REVERTED") throw dryRun;
          throw new AsixError("CHAIN_REVERTED", `the eth chain would revert this call, so nothing was relayed: ${reverted.message}`, {
            cause: dryRun,
            details: reverted.details,
          });
        }

        const ticket = limiter.take(key, ETH_RELAY_LIMIT_KEY);
        let receipt;
        try {
          receipt = await deps.pool.relay({ to: call.to, data: call.data, gasLimit: call.gasLimit });
        } catch (e) {
          if (!isAsixError(e, "TIMEOUT")) limiter.giveBack(ticket);
          throw e;
        }
        if (receipt.status !== 1) throw new AsixError("CHAIN_REVERTED", `the relayed ${call.method} reverted`, { details: { transactionHash: receipt.transactionHash } });
        deps.log("eth relayed", { method: call.method, signer: call.signer, tx: receipt.transactionHash, gasUsed: String(receipt.gasUsed), digest: call.digest });
        res.json({ receipt: { blockHash: receipt.blockHash, blockNumber: receipt.blockNumber, transactionHash: receipt.transactionHash } });
      } finally {
        inFlight.delete(key);
      }
    } catch (e) {
      if (isAsixError(e, "RATE_LIMITED")) res.set("Retry-After", String(e.details.retryAfterSeconds));
      if (isAsixError(e)) return next(e);
      deps.log("eth relay failed on a chain call", { error: String((e as Error)?.stack ?? e) });
      next(new AsixError("NODE_UNAVAILABLE", "the eth chain did not answer; nothing was relayed", { cause: e }));
    }
  });
  return router;
}
