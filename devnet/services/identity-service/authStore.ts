import { Router, type RequestHandler } from "express";
import { getAddress, isAddress } from "ethers";
import { AsixError } from "../../../sdk/errors";
import { recoverEmailLinkSigner } from "../../../sdk/auth/emailLink";
import { isEmailAddress } from "../../../sdk/auth/walletCrypto";
import { REQUEST_SIGNATURE_MAX_AGE_MS } from "../../../sdk/signatures";
import type { IdentityDb } from "./db";
import type { RequestLimiter } from "./requestLimits";

/**
 * The wallet store. It only ever holds what the client encrypted: an IV, a ciphertext and a lookup
 * key derived from the credentials; never an email next to them, a password or a key. Records are
 * found by lookup key alone, so an unknown user and a wrong password get the same answer.
 *
 * Emails are not a scarce resource here: a wallet's holder may declare an email for that wallet
 * (signed), and several wallets may declare the same one. So no one can squat an email to block
 * its owner, and nothing tells whether an email is known: `GET /users/check` gives every valid
 * email the same answer after the same work.
 */

/** One answer for every failed lookup: nothing tells an unknown email from a wrong password. */
const NO_MATCH = () => new AsixError("NOT_FOUND", "no wallet matches these credentials");

const HEX = /^(0x)?[0-9a-fA-F]+$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function authStoreRoutes(db: IdentityDb, requests: RequestLimiter): Router {
  const router = Router();
  const insertAuth = db.prepare(`INSERT INTO authentications (lookup_key, iv, cipher_text, created_at) VALUES (?, ?, ?, ?)`);
  const deleteAuth = db.prepare(`DELETE FROM authentications WHERE lookup_key = ?`);
  const getAuth = db.prepare(`SELECT iv, cipher_text AS cipherText, lookup_key AS lookupKey FROM authentications WHERE lookup_key = ?`);
  const linkEmail = db.prepare(
    `INSERT INTO email_links (wallet_address, email, created_at) VALUES (?, ?, ?)
     ON CONFLICT (wallet_address) DO UPDATE SET email = excluded.email, created_at = excluded.created_at`,
  );

  const replace = db.transaction((fresh: { lookupKey: string; iv: string; cipherText: string }, oldLookupKey?: string) => {
    if (oldLookupKey !== undefined && deleteAuth.run(oldLookupKey).changes === 0) throw NO_MATCH();
    insertAuth.run(fresh.lookupKey, fresh.iv, fresh.cipherText, Date.now());
  });

  const bodyField = (name: string) => (req: { body?: unknown }) => stringOf((req.body as Record<string, unknown> | undefined)?.[name]);
  const queryField = (name: string) => (req: { query: Record<string, unknown> }) => stringOf(req.query[name]);

  router.post("/authentication", requests.limit("authWrite", bodyField("lookupKey")), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const iv = hexField(body, "iv", 64);
    const cipherText = hexField(body, "cipherText", 8192);
    const lookupKey = hexField(body, "lookupKey", 130);
    const oldLookupKey = body.oldLookupKey === undefined ? undefined : hexField(body, "oldLookupKey", 130);
    try {
      replace({ lookupKey, iv, cipherText }, oldLookupKey);
    } catch (e) {
      if ((e as { code?: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
        throw new AsixError("CONFLICT", "a wallet is already stored under this lookup key");
      }
      throw e;
    }
    res.status(201).json({ lookupKey });
  });

  router.get("/authentication", requests.limit("authRead", queryField("lookupKey")), (req, res) => {
    const lookupKey = typeof req.query.lookupKey === "string" ? req.query.lookupKey.toLowerCase() : "";
    // `email` is accepted for wire compatibility but not used: records are keyed by lookupKey only.
    const row = HEX.test(lookupKey) ? getAuth.get(lookupKey) : undefined;
    if (!row) throw NO_MATCH();
    res.json(row);
  });

  /** `{email, walletAddress, timestamp, signature}`: the wallet's holder declares its email (sdk/auth/emailLink). */
  router.post("/user", requests.limit("emailLink", (req) => emailKey(req.body?.email)), verifyEmailLink, (_req, res) => {
    const { email, walletAddress } = res.locals.emailLink as EmailLink;
    linkEmail.run(walletAddress, email, Date.now());
    res.status(201).json({ email, walletAddress });
  });

  // No email is ever taken (see above), so the answer is the same for every valid email, and no
  // path looks anything up: an existing and an unknown email cannot be told apart, even by timing.
  // The route stays for reference clients' sign-up forms.
  router.get("/users/check", requests.limit("emailCheck", (req) => emailKey(req.query.email)), (req, res) => {
    emailField(req.query.email);
    res.json({ exists: false });
  });

  return router;
}

interface EmailLink {
  email: string;
  walletAddress: string;
}

/** Middleware: the body is an email link signed by its wallet (recent); hands on `res.locals.emailLink`. */
const verifyEmailLink: RequestHandler = (req, res, next) => {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const email = emailField(body.email);
  if (typeof body.walletAddress !== "string" || !isAddress(body.walletAddress)) {
    throw new AsixError("INVALID_INPUT", "walletAddress must be an address");
  }
  const walletAddress = getAddress(body.walletAddress);
  const timestamp = Number(body.timestamp);
  if (!Number.isSafeInteger(timestamp) || Math.abs(Date.now() - timestamp) > REQUEST_SIGNATURE_MAX_AGE_MS) {
    throw new AsixError("UNAUTHORIZED", "an email is linked only with the wallet's signature: timestamp missing or older than 5 minutes");
  }
  const signer = typeof body.signature === "string" ? recoverEmailLinkSigner(email, walletAddress, timestamp, body.signature) : undefined;
  if (!signer || getAddress(signer) !== walletAddress) {
    throw new AsixError("UNAUTHORIZED", "signature is not walletAddress's over {purpose:'asix-link-email', email, wallet, timestamp}");
  }
  res.locals.emailLink = { email, walletAddress } satisfies EmailLink;
  next();
};

function hexField(body: Record<string, unknown>, name: string, maxLength: number): string {
  const v = body[name];
  if (typeof v !== "string" || v.length === 0 || v.length > maxLength || !HEX.test(v)) {
    throw new AsixError("INVALID_INPUT", `${name} must be a hex string of at most ${maxLength} characters`);
  }
  return v.toLowerCase();
}

function stringOf(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v.toLowerCase().slice(0, 256) : undefined;
}

/** The per-key rate limit's key for an email: its normalized form, when there is one. */
function emailKey(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? `email:${normalizeEmail(v).slice(0, 320)}` : undefined;
}

function emailField(v: unknown): string {
  if (!isEmailAddress(v)) throw new AsixError("INVALID_INPUT", "email must be an email address");
  return normalizeEmail(v);
}
