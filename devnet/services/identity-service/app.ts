import express, { type Express } from "express";
import { corsHandler, type CorsOrigins } from "../cors";
import { errorHandler, notFoundRoute, type Logger } from "../http";
import type { IdentityDb } from "./db";
import { authStoreRoutes } from "./authStore";
import { relayRoutes, type RelayDeps } from "./relay";
import { relayLogRoutes } from "./relayLog";
import { verificationRoutes, type VerificationDeps } from "./verification";
import { ethRelayRoutes, type EthRelayDeps } from "./ethRelay";
import type { RequestLimiter } from "./requestLimits";
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
  /** per-IP and per-key request limits, on every route but /health_check */
  requests: RequestLimiter;
  /** express's "trust proxy": whose X-Forwarded-For names the client (e.g. the discovery nodes' addresses); default none */
  trustProxy?: boolean | string | string[];
  /** web origins whose pages may call the service; default any */
  corsOrigins?: CorsOrigins;
  log: Logger;
  /** signs /health_check */
  healthWallet: Wallet;
}

export function createIdentityApp(deps: IdentityAppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.trustProxy ?? false);
  // First: a preflight is answered before any body read or request limit.
  app.use(corsHandler(deps.corsOrigins));
  app.use(express.json({ limit: "256kb" }));
  app.get("/health_check", identityHealthCheck({ wallet: deps.healthWallet, relay: deps.relay, verification: deps.verification, ethRelay: deps.ethRelay }));
  app.use(authStoreRoutes(deps.db, deps.requests));
  app.use(relayRoutes(deps.relay));
  if (deps.relay.relayLog) app.use(relayLogRoutes(deps.relay.relayLog));
  if (deps.verification) app.use(verificationRoutes(deps.verification));
  if (deps.ethRelay) app.use(ethRelayRoutes(deps.ethRelay));
  app.use(notFoundRoute);
  app.use(errorHandler(deps.log));
  return app;
}
