import type { NextFunction, Request, RequestHandler, Response } from "express";
import { toQuantity } from "ethers";
import type { ChainRpc } from "./chainRpc";
import { AsixError, isAsixError } from "../../../sdk/errors";
import type { Logger } from "../http";
import type { RelayReceipt, RelayerPool } from "./relayerPool";
import type { RateLimitTicket, RateLimiter } from "./rateLimit";
import { answerRateLimited } from "./requestLimits";

/**
 * The one pipeline behind POST /relay and POST /eth_relay: in-flight guard, checks, dry run,
 * limits, send, receipt and errors. A route only says how a request becomes a checked call; what
 * follows is the same for both chains, so a fix here fixes both.
 */

export interface RelayPipelineDeps {
  rpc: ChainRpc;
  pool: RelayerPool;
  log: Logger;
  /** "data chain" or "eth chain", for messages */
  chainName: string;
}

/** A call that passed every check of its route and may be dry-run, counted and sent. */
export interface CheckedRelayCall {
  to: string;
  data: string;
  gasLimit: bigint;
  /** the AsixError to answer for a dry run that reverted (CHAIN_REVERTED, or CONFLICT for a replay) */
  refuseRevert(revert: Error & { data?: unknown }): AsixError;
  /** the counters this relay goes to, as [limiter, subject, key]; any one over its limit refuses it */
  limits: [RateLimiter, string, string][];
  /** what the success line of the log says about the call */
  logFields: Record<string, unknown>;
  /** told of the mined receipt (the relay log records it) */
  onRelayed?(receipt: RelayReceipt): void;
}

/** A parsed request: what it holds while in flight, and the checks that need the chain or the index. */
export interface RelayRequest {
  /** one relay per key at a time; a second one gets CONFLICT with `conflictMessage` */
  inFlightKey: string;
  conflictMessage: string;
  /** checks run once the key is held; throw a 4xx AsixError to refuse */
  check(): Promise<CheckedRelayCall>;
}

export function relayPipeline(deps: RelayPipelineDeps, parse: (req: Request) => RelayRequest | Promise<RelayRequest>): RequestHandler {
  const inFlight = new Set<string>();

  async function relay(request: RelayRequest) {
    if (inFlight.has(request.inFlightKey)) throw new AsixError("CONFLICT", request.conflictMessage);
    inFlight.add(request.inFlightKey);
    try {
      const call = await request.check();
      // The gas is reserved by the route and proven enough by running the call with it: one dry
      // run instead of eth_estimateGas's search, and it refuses all the contract would.
      const dryRun = await deps.rpc
        .send("eth_call", [{ to: call.to, data: call.data, gas: toQuantity(call.gasLimit) }, "latest"])
        .then(() => undefined, (cause: unknown) => cause as Error & { data?: unknown; code?: unknown });
      if (dryRun) {
        if (dryRun.code !== "CALL_EXCEPTION") throw dryRun; // the chain did not answer: 503 below
        throw call.refuseRevert(dryRun);
      }
      const tickets = takeAll(call.limits);
      let receipt;
      try {
        receipt = await deps.pool.relay({ to: call.to, data: call.data, gasLimit: call.gasLimit });
      } catch (e) {
        // a send that timed out may still land; anything else never reached the chain
        if (!isAsixError(e, "TIMEOUT")) giveBackAll(tickets);
        throw e;
      }
      if (receipt.status !== 1) {
        throw new AsixError("CHAIN_REVERTED", "the relayed transaction reverted", { details: { transactionHash: receipt.transactionHash } });
      }
      call.onRelayed?.(receipt);
      deps.log("relayed", { chain: deps.chainName, ...call.logFields, tx: receipt.transactionHash, relayer: receipt.from, gasUsed: String(receipt.gasUsed) });
      return { blockHash: receipt.blockHash, blockNumber: receipt.blockNumber, transactionHash: receipt.transactionHash };
    } finally {
      inFlight.delete(request.inFlightKey);
    }
  }

  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.json({ receipt: await relay(await parse(req)) });
    } catch (e) {
      answerRateLimited(res, e);
      if (isAsixError(e)) {
        // what was refused, and why, so an operator sees junk being turned away at no cost
        deps.log("relay refused", { chain: deps.chainName, code: e.code, reason: e.message, ip: req.ip });
        return next(e);
      }
      deps.log("relay failed on a chain call", { chain: deps.chainName, error: String((e as Error)?.stack ?? e) });
      next(new AsixError("NODE_UNAVAILABLE", `the ${deps.chainName} did not answer; nothing was relayed`, { cause: e }));
    }
  };
}

/** Count against every limit, or against none: a refusal by the second gives back the first. */
function takeAll(limits: [RateLimiter, string, string][]): [RateLimiter, RateLimitTicket][] {
  const taken: [RateLimiter, RateLimitTicket][] = [];
  try {
    for (const [limiter, subject, key] of limits) taken.push([limiter, limiter.take(subject, key)]);
  } catch (e) {
    giveBackAll(taken);
    throw e;
  }
  return taken;
}

function giveBackAll(tickets: [RateLimiter, RateLimitTicket][]): void {
  for (const [limiter, ticket] of tickets) limiter.giveBack(ticket);
}
