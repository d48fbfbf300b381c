import { Router, type Request, type Response, type NextFunction } from "express";
import { getAddress, isAddress, isError, isHexString, recoverAddress, Signature, toQuantity, type JsonRpcProvider } from "ethers";
import { AsixError, isAsixError } from "../../../sdk/errors";
import { decodeManageEntityCall, manageEntityDigest } from "../../../sdk/eip712";
import { EntityManager__factory } from "../../../typechain-types";
import type { Logger } from "../http";
import type { RelayerPool } from "./relayerPool";
import { rateLimitKey, type RelayRateLimiter } from "./rateLimit";

/**
 * POST /relay: a user's signed EntityManager.manageEntity call, sent and paid for by a relayer.
 * Everything the contract would refuse (another contract or method, a signature that is bad or
 * not the sender's, a replay) is refused here first, so no gas is spent on it.
 */

export interface RelayDeps {
  provider: JsonRpcProvider;
  chainId: number;
  entityManagerAddress: string;
  pool: RelayerPool;
  limiter: RelayRateLimiter;
  log: Logger;
}

/** Never reserve more gas than this for one relayed call, whatever the caller asks. */
const MAX_RELAY_GAS = 10_000_000n;

export function relayRoutes(deps: RelayDeps): Router {
  const router = Router();
  const entityManagerAddress = getAddress(deps.entityManagerAddress);
  const domain = { chainId: deps.chainId, verifyingContract: entityManagerAddress };
  /** digests accepted and not yet confirmed: a second copy of one is a replay even before it lands */
  const inFlight = new Set<string>();

  router.post("/relay", async (req: Request, res: Response, next: NextFunction) => {
    try {
      const body = parseRelayBody(req.body);
      if (body.contractRegistryKey !== "EntityManager" || getAddress(body.contractAddress) !== entityManagerAddress) {
        throw new AsixError("INVALID_INPUT", "only EntityManager.manageEntity is relayed; this contract is not whitelisted", {
          details: { contractRegistryKey: body.contractRegistryKey, contractAddress: body.contractAddress },
        });
      }
      const { message, signature } = decodeManageEntityCall(body.encodedABI); // INVALID_INPUT for any other method
      const digest = manageEntityDigest(domain, message);
      let signer: string;
      try {
        signer = recoverAddress(digest, Signature.from(signature));
      } catch (cause) {
        throw new AsixError("UNAUTHORIZED", "the signature in encodedABI does not recover to any wallet", { cause });
      }
      if (signer !== getAddress(body.senderAddress)) {
        throw new AsixError("UNAUTHORIZED", "the signature in encodedABI was not made by senderAddress (tampered call or wrong signer)", {
          details: { senderAddress: body.senderAddress, recovered: signer },
        });
      }
      if (inFlight.has(digest)) throw new AsixError("CONFLICT", "this signed action is already being relayed (replay)");
      inFlight.add(digest);
      try {
        // The gas is reserved by a generous formula and proven enough by running the call with it:
        // one dry run instead of eth_estimateGas's search, and it refuses all the contract would.
        const bytes = (body.encodedABI.length - 2) / 2;
        let gasLimit = 21_000n + 100_000n + 80n * BigInt(bytes);
        if (body.gasLimit !== undefined && body.gasLimit > gasLimit) gasLimit = body.gasLimit;
        if (gasLimit > MAX_RELAY_GAS) gasLimit = MAX_RELAY_GAS;
        // A used digest makes the contract revert with SignatureAlreadyUsed, so the dry run is
        // also the replay check: one chain call.
        const dryRun = await deps.provider
          .send("eth_call", [{ to: entityManagerAddress, data: body.encodedABI, gas: toQuantity(gasLimit) }, "latest"])
          .then(() => undefined, (cause: unknown) => cause as Error & { data?: unknown });
        if (dryRun) {
          if (!isError(dryRun, "CALL_EXCEPTION")) throw dryRun; // the chain did not answer: 503 below
          if (revertName(dryRun.data) === "SignatureAlreadyUsed") {
            throw new AsixError("CONFLICT", "this signed action is already on chain (replay)", { details: { digest } });
          }
          throw new AsixError("CHAIN_REVERTED", "EntityManager would revert this call", { cause: dryRun });
        }
        const ticket = deps.limiter.take(signer, rateLimitKey(message.action, message.entityType));
        let receipt;
        try {
          receipt = await deps.pool.relay({ to: entityManagerAddress, data: body.encodedABI, gasLimit });
        } catch (e) {
          // a send that timed out may still land; anything else never reached the chain
          if (!isAsixError(e, "TIMEOUT")) deps.limiter.giveBack(ticket);
          throw e;
        }
        if (receipt.status !== 1) {
          throw new AsixError("CHAIN_REVERTED", "the relayed transaction reverted", { details: { transactionHash: receipt.transactionHash } });
        }
        deps.log("relayed", { signer, action: message.action, entityType: message.entityType, tx: receipt.transactionHash, relayer: receipt.from });
        res.json({
          receipt: { blockHash: receipt.blockHash, blockNumber: receipt.blockNumber, transactionHash: receipt.transactionHash },
        });
      } finally {
        inFlight.delete(digest);
      }
    } catch (e) {
      if (isAsixError(e, "RATE_LIMITED")) res.set("Retry-After", String(e.details.retryAfterSeconds));
      if (isAsixError(e)) return next(e);
      deps.log("relay failed on a chain call", { error: String((e as Error)?.stack ?? e) });
      next(new AsixError("NODE_UNAVAILABLE", "the data chain did not answer; nothing was relayed", { cause: e }));
    }
  });
  return router;
}

interface RelayBody {
  contractRegistryKey: string;
  contractAddress: string;
  encodedABI: string;
  senderAddress: string;
  gasLimit?: bigint;
}

function parseRelayBody(raw: unknown): RelayBody {
  const body = (raw ?? {}) as Record<string, unknown>;
  const need = (name: string, ok: boolean, what: string) => {
    if (!ok) throw new AsixError("INVALID_INPUT", `relay body: ${name} must be ${what}`);
  };
  need("contractRegistryKey", typeof body.contractRegistryKey === "string", "a string");
  need("contractAddress", typeof body.contractAddress === "string" && isAddress(body.contractAddress), "an address");
  need("encodedABI", typeof body.encodedABI === "string" && isHexString(body.encodedABI), "0x-prefixed hex calldata");
  need("senderAddress", typeof body.senderAddress === "string" && isAddress(body.senderAddress), "an address");
  let gasLimit: bigint | undefined;
  if (body.gasLimit !== undefined && body.gasLimit !== null && body.gasLimit !== "" && body.gasLimit !== 0) {
    try {
      gasLimit = BigInt(body.gasLimit as string | number);
    } catch {
      throw new AsixError("INVALID_INPUT", "relay body: gasLimit must be an integer");
    }
    need("gasLimit", gasLimit >= 0n, "a non-negative integer");
  }
  return {
    contractRegistryKey: body.contractRegistryKey as string,
    contractAddress: body.contractAddress as string,
    encodedABI: body.encodedABI as string,
    senderAddress: body.senderAddress as string,
    gasLimit,
  };
}

const entityManagerInterface = EntityManager__factory.createInterface();

/** The name of the EntityManager custom error in revert data, if it is one. */
function revertName(data: unknown): string | undefined {
  if (typeof data !== "string" || !isHexString(data) || data.length < 10) return undefined;
  try {
    return entityManagerInterface.parseError(data)?.name;
  } catch {
    return undefined;
  }
}
