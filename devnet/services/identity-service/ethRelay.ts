import { Router } from "express";
import { getAddress, isAddress, isHexString, Signature, toQuantity, TypedDataEncoder, verifyTypedData, type JsonRpcProvider } from "ethers";
import { PERMIT_TYPES, permitDomain } from "../../../sdk/staking/protocol";
import { AsixError, isAsixError } from "../../../sdk/errors";
import { AsixToken__factory } from "../../../typechain-types";
import type { Logger } from "../http";
import type { IdentityDb } from "./db";
import type { RelayerPool } from "./relayerPool";

/**
 * POST /eth_relay: gasless EIP-2612 `permit` on the eth chain, for users who hold $AUDIO but no ETH.
 * Whitelist: AsixToken.permit whose spender is Staking (the contract that pulls stake for
 * ServiceProviderFactory and DelegateManager). The permit signature is checked against the owner
 * and the token's current nonce before anything is sent; a wallet gets a few per UTC day.
 *
 * Stake and delegate themselves are not relayed: the eth contracts authenticate them by
 * msg.sender, so a relayer sending them would stake its own tokens.
 */

export interface EthRelayDeps {
  provider: JsonRpcProvider;
  chainId: number;
  tokenAddress: string;
  stakingAddress: string;
  pool: RelayerPool;
  db: IdentityDb;
  /** permits per wallet per UTC day */
  dailyLimit: number;
  log: Logger;
}

export const ETH_RELAY_REGISTRY_KEY = "Token";
const PERMIT_GAS = 120_000n;
const DAY_SECONDS = 86_400;

export function ethRelayRoutes(deps: EthRelayDeps): Router {
  const router = Router();
  const tokenAddress = getAddress(deps.tokenAddress);
  const stakingAddress = getAddress(deps.stakingAddress);
  const token = AsixToken__factory.connect(tokenAddress, deps.provider);
  const tokenInterface = AsixToken__factory.createInterface();
  const domain = permitDomain(deps.chainId, tokenAddress);
  const inFlight = new Set<string>();
  const take = deps.db.prepare(
    `INSERT INTO eth_relay_counts (wallet, day, count) VALUES (?, ?, 1)
     ON CONFLICT (wallet, day) DO UPDATE SET count = count + 1 WHERE count < ?`,
  );
  const giveBack = deps.db.prepare(`UPDATE eth_relay_counts SET count = count - 1 WHERE wallet = ? AND day = ? AND count > 0`);

  router.post("/eth_relay", async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (typeof body.encodedABI !== "string" || !isHexString(body.encodedABI)) throw new AsixError("INVALID_INPUT", "eth_relay body: encodedABI must be 0x-prefixed hex calldata");
      if (typeof body.senderAddress !== "string" || !isAddress(body.senderAddress)) throw new AsixError("INVALID_INPUT", "eth_relay body: senderAddress must be an address");
      if (
        body.contractRegistryKey !== ETH_RELAY_REGISTRY_KEY ||
        typeof body.contractAddress !== "string" ||
        !isAddress(body.contractAddress) ||
        getAddress(body.contractAddress) !== tokenAddress
      ) {
        throw new AsixError("INVALID_INPUT", `only ${ETH_RELAY_REGISTRY_KEY}.permit is relayed on the eth chain; this contract is not whitelisted`);
      }
      let call;
      try {
        call = tokenInterface.parseTransaction({ data: body.encodedABI });
      } catch (cause) {
        throw new AsixError("INVALID_INPUT", "encodedABI is not valid AsixToken calldata", { cause });
      }
      if (!call || call.name !== "permit") throw new AsixError("INVALID_INPUT", "only permit is relayed on the eth chain; this method is not whitelisted");
      const [owner, spender, value, deadline, v, r, s] = call.args as unknown as [string, string, bigint, bigint, bigint, string, string];
      if (getAddress(owner) !== getAddress(body.senderAddress)) throw new AsixError("UNAUTHORIZED", "the permit's owner is not senderAddress");
      if (getAddress(spender) !== stakingAddress) throw new AsixError("INVALID_INPUT", "a relayed permit may only approve the Staking contract");
      if (value === 0n) throw new AsixError("INVALID_INPUT", "a relayed permit must approve a positive amount");
      const key = `${getAddress(owner)}`;
      if (inFlight.has(key)) throw new AsixError("CONFLICT", "a permit of this wallet is already being relayed");
      inFlight.add(key);
      try {
        const [nonce, block] = await Promise.all([token.nonces(owner), deps.provider.getBlock("latest")]);
        if (deadline <= BigInt(block!.timestamp)) throw new AsixError("INVALID_INPUT", "the permit's deadline has passed");
        let signature: string;
        try {
          signature = Signature.from({ v: Number(v), r, s }).serialized;
        } catch (cause) {
          throw new AsixError("UNAUTHORIZED", "the permit signature is malformed", { cause });
        }
        const signerAt = (n: bigint) => {
          try {
            return getAddress(verifyTypedData(domain, PERMIT_TYPES, { owner, spender, value, nonce: n, deadline }, signature));
          } catch {
            return undefined;
          }
        };
        if (signerAt(nonce) !== getAddress(owner)) {
          if (nonce > 0n && signerAt(nonce - 1n) === getAddress(owner)) throw new AsixError("CONFLICT", "this permit was already used (replay)");
          throw new AsixError("UNAUTHORIZED", "the permit is not signed by its owner (tampered or wrong signer)");
        }
        const dryRun = await deps.provider
          .send("eth_call", [{ to: tokenAddress, data: body.encodedABI, gas: toQuantity(PERMIT_GAS) }, "latest"])
          .then(() => undefined, (cause: unknown) => cause as Error);
        if (dryRun) throw new AsixError("CHAIN_REVERTED", "AsixToken would revert this permit", { cause: dryRun });

        const nowSeconds = Math.floor(Date.now() / 1000);
        const day = nowSeconds - (nowSeconds % DAY_SECONDS);
        if (take.run(key.toLowerCase(), day, deps.dailyLimit).changes === 0) {
          const retryAfterSeconds = day + DAY_SECONDS - nowSeconds;
          throw new AsixError("RATE_LIMITED", `a wallet may relay ${deps.dailyLimit} permits per day; retry in ${retryAfterSeconds} s`, {
            details: { retryAfterSeconds },
          });
        }
        let receipt;
        try {
          receipt = await deps.pool.relay({ to: tokenAddress, data: body.encodedABI, gasLimit: PERMIT_GAS });
        } catch (e) {
          if (!isAsixError(e, "TIMEOUT")) giveBack.run(key.toLowerCase(), day);
          throw e;
        }
        if (receipt.status !== 1) throw new AsixError("CHAIN_REVERTED", "the relayed permit reverted", { details: { transactionHash: receipt.transactionHash } });
        deps.log("eth relayed", { owner, tx: receipt.transactionHash, digest: TypedDataEncoder.hash(domain, PERMIT_TYPES, { owner, spender, value, nonce, deadline }) });
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
