import crypto from "node:crypto";
import { Router } from "express";
import axios from "axios";
import { getAddress, isAddress, type JsonRpcProvider, type Wallet } from "ethers";
import { AsixError } from "../../../sdk/errors";
import { toEntityId } from "../../../sdk/hashids";
import { recoverDataSigner, REQUEST_SIGNATURE_MAX_AGE_MS, verificationStartData } from "../../../sdk/signatures";
import { EntityManager__factory } from "../../../sdk/protocol/entityManager";
import type { Logger } from "../http";
import type { IdentityDb } from "./db";
import type { RequestLimiter } from "./requestLimits";
import type { UserIndex } from "./userIndex";

/**
 * Social verification: an OAuth 2.0 authorization-code flow with PKCE against a configurable
 * provider. A user's wallet signs the start request; the provider vouches for the account; then
 * the EntityManager verifier wallet sends `manageIsVerified(userId, true)`.
 *
 *   GET /verification/start?userId&wallet&timestamp&signature[&login_hint]  → 302 to the provider
 *   GET /verification/callback?code&state                                  → JSON result
 */

export interface OAuthClientConfig {
  /** the provider's authorization endpoint */
  authorizeUrl: string;
  /** the provider's token endpoint (code + PKCE verifier → access token) */
  tokenUrl: string;
  /** the provider's userinfo endpoint (bearer token → account claims) */
  userInfoUrl: string;
  clientId: string;
  /** sent with HTTP Basic to the token endpoint when set */
  clientSecret?: string;
  /** default "profile" */
  scope?: string;
  /** the boolean userinfo claim that marks a verified account; default "verified" */
  verifiedClaim?: string;
  /** this service's URL as the provider's redirects reach it; default its listen URL */
  publicUrl?: string;
}

export interface VerificationDeps {
  db: IdentityDb;
  oauth: OAuthClientConfig;
  /** where the provider sends the browser back: `${publicUrl()}/verification/callback` */
  publicUrl: () => string;
  provider: JsonRpcProvider;
  /** EntityManager's verifier wallet, connected to the data chain */
  verifier: Wallet;
  entityManagerAddress: string;
  /** who owns which user (the discovery node's index) */
  users: UserIndex;
  requests: RequestLimiter;
  log: Logger;
}


const STATE_TTL_MS = 10 * 60 * 1000;
const b64url = (b: Buffer) => b.toString("base64url");

export function verificationRoutes(deps: VerificationDeps): Router {
  const router = Router();
  const entityManager = EntityManager__factory.connect(deps.entityManagerAddress, deps.verifier);
  const insertState = deps.db.prepare(`INSERT INTO oauth_states (state, user_id, wallet, code_verifier, expires_at) VALUES (?, ?, ?, ?, ?)`);
  const takeState = deps.db.prepare(`DELETE FROM oauth_states WHERE state = ? RETURNING user_id AS userId, wallet, code_verifier AS codeVerifier, expires_at AS expiresAt`);
  const purgeStates = deps.db.prepare(`DELETE FROM oauth_states WHERE expires_at < ?`);
  const getVerification = deps.db.prepare(`SELECT user_id, provider_subject, transaction_hash, verified_at FROM verifications WHERE user_id = ?`);
  const upsertVerification = deps.db.prepare(
    `INSERT INTO verifications (user_id, provider_subject, transaction_hash, verified_at) VALUES (@user_id, @provider_subject, @transaction_hash, @verified_at)
     ON CONFLICT (user_id) DO UPDATE SET provider_subject = excluded.provider_subject, transaction_hash = excluded.transaction_hash, verified_at = excluded.verified_at`,
  );
  const deleteVerification = deps.db.prepare(`DELETE FROM verifications WHERE user_id = ?`);
  type VerificationRow = { user_id: string; provider_subject: string; transaction_hash: string; verified_at: number };

  /**
   * Claim a provider subject for a user before the verifier sends anything: the unique index on
   * provider_subject makes one subject verify at most one user, even for two callbacks at once.
   * Returns how to undo the claim should the transaction fail.
   */
  function claimSubject(userId: string, subject: string): () => void {
    const previous = getVerification.get(userId) as VerificationRow | undefined;
    try {
      upsertVerification.run({ user_id: userId, provider_subject: subject, transaction_hash: "", verified_at: Date.now() });
    } catch (e) {
      if ((e as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") {
        throw new AsixError("CONFLICT", "this provider account already verifies another user; one account verifies one user");
      }
      throw e;
    }
    return () => (previous ? upsertVerification.run(previous) : deleteVerification.run(userId));
  }
  const redirectUri = () => `${deps.oauth.publicUrl ?? deps.publicUrl()}/verification/callback`;
  // one verifier wallet: its transactions go out one at a time so their nonces stay in order
  let verifierQueue: Promise<unknown> = Promise.resolve();

  router.get("/verification/start", deps.requests.limit("verification", (req) => (typeof req.query.wallet === "string" ? req.query.wallet : undefined)), async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const userId = toEntityId(String(q.userId ?? ""), "userId");
    if (!q.wallet || !isAddress(q.wallet)) throw new AsixError("INVALID_INPUT", "wallet must be an address");
    const wallet = getAddress(q.wallet);
    const timestamp = Number(q.timestamp);
    if (!Number.isSafeInteger(timestamp) || Math.abs(Date.now() - timestamp) > REQUEST_SIGNATURE_MAX_AGE_MS) {
      throw new AsixError("UNAUTHORIZED", "timestamp missing or older than 5 minutes");
    }
    const signer = recoverDataSigner(verificationStartData(userId, timestamp), q.signature ?? "");
    if (!signer || getAddress(signer) !== wallet) {
      throw new AsixError("UNAUTHORIZED", "signature is not the wallet's over {purpose:'asix-verify', userId, timestamp}");
    }
    const owner = await deps.users.walletOf(BigInt(userId));
    if (!owner) throw new AsixError("NOT_FOUND", `user ${userId} does not exist (or is not indexed yet)`);
    if (owner !== wallet.toLowerCase()) throw new AsixError("UNAUTHORIZED", `user ${userId} belongs to another wallet`);

    const state = b64url(crypto.randomBytes(24));
    const codeVerifier = b64url(crypto.randomBytes(32));
    const codeChallenge = b64url(crypto.createHash("sha256").update(codeVerifier).digest());
    purgeStates.run(Date.now());
    insertState.run(state, String(userId), wallet, codeVerifier, Date.now() + STATE_TTL_MS);
    const to = new URL(deps.oauth.authorizeUrl);
    to.searchParams.set("response_type", "code");
    to.searchParams.set("client_id", deps.oauth.clientId);
    to.searchParams.set("redirect_uri", redirectUri());
    to.searchParams.set("scope", deps.oauth.scope ?? "profile");
    to.searchParams.set("state", state);
    to.searchParams.set("code_challenge", codeChallenge);
    to.searchParams.set("code_challenge_method", "S256");
    if (q.login_hint) to.searchParams.set("login_hint", q.login_hint);
    res.redirect(302, to.toString());
  });

  router.get("/verification/callback", deps.requests.limit("verification"), async (req, res) => {
    // A parameter given twice arrives as an array: only single strings are a state, code or error.
    const q = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === "string" ? v : undefined])) as Record<string, string | undefined>;
    if (Object.values(req.query).some((v) => typeof v !== "string")) throw new AsixError("INVALID_INPUT", "each query parameter may be given once");
    const pending = q.state
      ? (takeState.get(q.state) as { userId: string; wallet: string; codeVerifier: string; expiresAt: number } | undefined)
      : undefined;
    if (!pending || pending.expiresAt < Date.now()) throw new AsixError("INVALID_INPUT", "unknown or expired OAuth state");
    if (q.error) throw new AsixError("UNAUTHORIZED", `the provider refused: ${q.error}${q.error_description ? ` (${q.error_description})` : ""}`);
    if (!q.code) throw new AsixError("INVALID_INPUT", "the provider sent no code");

    const form = new URLSearchParams({
      grant_type: "authorization_code",
      code: q.code,
      redirect_uri: redirectUri(),
      client_id: deps.oauth.clientId,
      code_verifier: pending.codeVerifier,
    });
    const token = await axios.post(deps.oauth.tokenUrl, form.toString(), {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      auth: deps.oauth.clientSecret !== undefined ? { username: deps.oauth.clientId, password: deps.oauth.clientSecret } : undefined,
      validateStatus: () => true,
      timeout: 10_000,
    }).catch((cause) => {
      throw new AsixError("NODE_UNAVAILABLE", "the OAuth provider's token endpoint is unreachable", { cause });
    });
    if (token.status !== 200 || typeof token.data?.access_token !== "string") {
      throw new AsixError("UNAUTHORIZED", `token exchange failed: ${token.data?.error ?? `HTTP ${token.status}`}`);
    }
    const info = await axios.get(deps.oauth.userInfoUrl, {
      headers: { authorization: `Bearer ${token.data.access_token}` },
      validateStatus: () => true,
      timeout: 10_000,
    }).catch((cause) => {
      throw new AsixError("NODE_UNAVAILABLE", "the OAuth provider's userinfo endpoint is unreachable", { cause });
    });
    if (info.status !== 200 || typeof info.data?.sub !== "string") throw new AsixError("UNAUTHORIZED", "the provider did not return the account");
    if (info.data[deps.oauth.verifiedClaim ?? "verified"] !== true) {
      throw new AsixError("UNAUTHORIZED", `the provider account ${info.data.preferred_username ?? info.data.sub} is not a verified account`);
    }

    const undoClaim = claimSubject(pending.userId, info.data.sub);
    const send = async () => {
      const tx = await entityManager.manageIsVerified(BigInt(pending.userId), true);
      return (await tx.wait())!;
    };
    const run = verifierQueue.then(send, send);
    verifierQueue = run.catch(() => undefined);
    const receipt = await run.catch((cause) => {
      undoClaim();
      throw new AsixError("NODE_UNAVAILABLE", "the verifier wallet could not send manageIsVerified", { cause });
    });
    upsertVerification.run({ user_id: pending.userId, provider_subject: info.data.sub, transaction_hash: receipt.hash, verified_at: Date.now() });
    deps.log("user verified", { userId: pending.userId, subject: info.data.sub, tx: receipt.hash });
    res.json({
      userId: Number(pending.userId),
      isVerified: true,
      providerSubject: info.data.sub,
      receipt: { blockHash: receipt.blockHash, blockNumber: receipt.blockNumber, transactionHash: receipt.hash },
    });
  });

  return router;
}
