import express, { type Express } from "express";
import { errorHandler, notFoundRoute, type Logger } from "../http";
import type { IdentityDb } from "./db";
import { authStoreRoutes } from "./authStore";
import { relayRoutes, type RelayDeps } from "./relay";
import { verificationRoutes, type VerificationDeps } from "./verification";
import { ethRelayRoutes, type EthRelayDeps } from "./ethRelay";
import { identityHealthCheck } from "./health";
import type { Wallet } from "ethers";

/** The identity service's express app (no listen): wallet store, relay, eth relay, social verification. */
export interface IdentityAppDeps {
  db: IdentityDb;
  relay: RelayDeps;
  /** absent when no OAuth provider is configured: /verification answers 404 */
  verification?: VerificationDeps;
  /** absent when no eth chain is configured: /eth_relay answers 404 */
  ethRelay?: EthRelayDeps;
  log: Logger;
  /** signs /health_check */
  healthWallet: Wallet;
}

export function createIdentityApp(deps: IdentityAppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(express.json({ limit: "256kb" }));
  app.get("/health_check", identityHealthCheck({ wallet: deps.healthWallet, relay: deps.relay, verification: deps.verification, ethRelay: deps.ethRelay }));
  app.use(authStoreRoutes(deps.db));
  app.use(relayRoutes(deps.relay));
  if (deps.verification) app.use(verificationRoutes(deps.verification));
  if (deps.ethRelay) app.use(ethRelayRoutes(deps.ethRelay));
  app.use(notFoundRoute);
  app.use(errorHandler(deps.log));
  return app;
}
