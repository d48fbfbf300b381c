import { Router } from "express";
import { getAddress, isAddress, isHexString } from "ethers";
import type { ChainRpc } from "./chainRpc";
import { recoverHere, type SignerRecovery } from "./signatureWorkers";
import { AsixError, isAsixError } from "../../../sdk/errors";
import { decodeManageEntityCall, manageEntityDigest } from "../../../sdk/eip712";
import { entityManagerInterface } from "../../../sdk/protocol/entityManager";
import type { Logger } from "../http";
import type { RelayerPool } from "./relayerPool";
import { rateLimitKey, type RateLimiter } from "./rateLimit";
import { relayPipeline } from "./relayPipeline";
import { clientIp, type RequestLimiter } from "./requestLimits";
import { checkActionCanSucceed, checkActionShape } from "./relayAdmission";
import type { UserIndex } from "./userIndex";
import type { RelayLog } from "./relayLog";

/**
 * POST /relay: a user's signed EntityManager.manageEntity call, sent and paid for by a relayer.
 * Only what can succeed is paid for: everything the contract would refuse (another contract or
 * method, a bad or foreign signature, a replay) and everything the indexer would refuse for want
 * of an owner (a signer that does not own the acting user, a user Create that cannot apply,
 * oversized metadata) is refused here first, so no gas is spent on it.
 */

export interface RelayDeps {
  /** the data chain, in process on the devnet or over HTTP */
  rpc: ChainRpc;
  chainId: number;
  entityManagerAddress: string;
  pool: RelayerPool;
  /** per signer and action, hourly */
  limiter: RateLimiter;
  /** per client IP and action, hourly: throwaway wallets do not buy a fresh budget */
  ipLimiter: RateLimiter;
  /** who owns which user (the discovery node's index) */
  users: UserIndex;
  requests: RequestLimiter;
  /** where each action's signer is recovered (worker threads in the service); default this thread */
  signers?: SignerRecovery;
  /** records each relayed or refused action (GET /relay/recent) */
  relayLog?: RelayLog;
  log: Logger;
}

/** Never reserve more gas than this for one relayed call, whatever the caller asks. */
const MAX_RELAY_GAS = 10_000_000n;

export function relayRoutes(deps: RelayDeps): Router {
  const router = Router();
  const entityManagerAddress = getAddress(deps.entityManagerAddress);
  const domain = { chainId: deps.chainId, verifyingContract: entityManagerAddress };

  const handler = relayPipeline({ rpc: deps.rpc, pool: deps.pool, log: deps.log, chainName: "data chain" }, async (req) => {
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
      signer = await (deps.signers ?? recoverHere).recover(digest, signature);
    } catch (cause) {
      throw new AsixError("UNAUTHORIZED", "the signature in encodedABI does not recover to any wallet", { cause });
    }
    if (signer !== getAddress(body.senderAddress)) {
      throw new AsixError("UNAUTHORIZED", "the signature in encodedABI was not made by senderAddress (tampered call or wrong signer)", {
        details: { senderAddress: body.senderAddress, recovered: signer },
      });
    }
    const refused = (e: unknown) => {
      if (isAsixError(e)) deps.relayLog?.refused(message, signer, e);
      return e;
    };
    try {
      checkActionShape(message);
    } catch (e) {
      throw refused(e);
    }
    const ip = clientIp(req);
    return {
      inFlightKey: digest,
      conflictMessage: "this signed action is already being relayed (replay)",
      async check() {
        await checkActionCanSucceed(deps.users, message, signer).catch((e: unknown) => Promise.reject(refused(e)));
        const bytes = (body.encodedABI.length - 2) / 2;
        let gasLimit = 21_000n + 100_000n + 80n * BigInt(bytes);
        if (body.gasLimit !== undefined && body.gasLimit > gasLimit) gasLimit = body.gasLimit;
        if (gasLimit > MAX_RELAY_GAS) gasLimit = MAX_RELAY_GAS;
        const actionKey = rateLimitKey(message.action, message.entityType);
        return {
          to: entityManagerAddress,
          data: body.encodedABI,
          gasLimit,
          // A used digest makes the contract revert with SignatureAlreadyUsed, so the dry run is
          // also the replay check: one chain call.
          refuseRevert(revert) {
            if (revertName(revert.data) === "SignatureAlreadyUsed") {
              return new AsixError("CONFLICT", "this signed action is already on chain (replay)", { details: { digest } });
            }
            return new AsixError("CHAIN_REVERTED", "EntityManager would revert this call", { cause: revert });
          },
          limits: [
            [deps.limiter, signer, actionKey],
            [deps.ipLimiter, `ip:${ip}`, actionKey],
          ],
          logFields: { signer, action: message.action, entityType: message.entityType, ip },
          onRelayed: (receipt) => deps.relayLog?.relayed(message, signer, receipt),
        };
      },
    };
  });
  router.post("/relay", deps.requests.limit("relay"), handler);
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

/** The name of the EntityManager custom error in revert data, if it is one. */
function revertName(data: unknown): string | undefined {
  if (typeof data !== "string" || !isHexString(data) || data.length < 10) return undefined;
  try {
    return entityManagerInterface.parseError(data)?.name;
  } catch {
    return undefined;
  }
}
