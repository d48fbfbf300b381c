import type { RequestHandler } from "express";
import type { Wallet } from "ethers";
import { PROTOCOL_VERSION, signHealth, type IdentityHealthData } from "../../../sdk/protocol/health";
import type { RelayDeps } from "./relay";
import type { VerificationDeps } from "./verification";
import type { EthRelayDeps } from "./ethRelay";

export interface IdentityHealthDeps {
  /** signs the answer; the service's first relayer wallet */
  wallet: Wallet;
  relay: RelayDeps;
  verification?: VerificationDeps;
  ethRelay?: EthRelayDeps;
}

/** `GET /health_check`: the same signed envelope as the content and discovery nodes (SDK protocol/health). */
export function identityHealthCheck(deps: IdentityHealthDeps): RequestHandler {
  return async (_req, res) => {
    const data: IdentityHealthData = {
      healthy: true,
      service: "identity-service",
      version: PROTOCOL_VERSION,
      chainId: deps.relay.chainId,
      entityManagerAddress: deps.relay.entityManagerAddress,
      relayers: deps.relay.pool.status(),
      socialVerification: deps.verification !== undefined,
      ethRelayers: deps.ethRelay?.pool.status(),
    };
    res.json(await signHealth(deps.wallet, data));
  };
}
