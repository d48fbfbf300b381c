import { Router } from "express";
import { getAddress, isAddress } from "ethers";
import { AsixError } from "../../../sdk/errors";
import type { IdentityDb } from "./db";

/**
 * The wallet store. It only ever holds what the client encrypted: an IV, a ciphertext and a lookup
 * key derived from the credentials; never an email next to them, a password or a key. Records are
 * found by lookup key alone, so an unknown user and a wrong password get the same answer.
 */

/** One answer for every failed lookup: nothing tells an unknown email from a wrong password. */
const NO_MATCH = () => new AsixError("NOT_FOUND", "no wallet matches these credentials");

const HEX = /^(0x)?[0-9a-fA-F]+$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function authStoreRoutes(db: IdentityDb): Router {
  const router = Router();
  const insertAuth = db.prepare(`INSERT INTO authentications (lookup_key, iv, cipher_text, created_at) VALUES (?, ?, ?, ?)`);
  const deleteAuth = db.prepare(`DELETE FROM authentications WHERE lookup_key = ?`);
  const getAuth = db.prepare(`SELECT iv, cipher_text AS cipherText, lookup_key AS lookupKey FROM authentications WHERE lookup_key = ?`);
  const insertUser = db.prepare(`INSERT INTO users (email, wallet_address, created_at) VALUES (?, ?, ?)`);
  const getUser = db.prepare(`SELECT wallet_address FROM users WHERE email = ?`);

  const replace = db.transaction((fresh: { lookupKey: string; iv: string; cipherText: string }, oldLookupKey?: string) => {
    if (oldLookupKey !== undefined && deleteAuth.run(oldLookupKey).changes === 0) throw NO_MATCH();
    insertAuth.run(fresh.lookupKey, fresh.iv, fresh.cipherText, Date.now());
  });

  router.post("/authentication", (req, res) => {
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

  router.get("/authentication", (req, res) => {
    const lookupKey = typeof req.query.lookupKey === "string" ? req.query.lookupKey.toLowerCase() : "";
    // `email` is accepted for wire compatibility but not used: records are keyed by lookupKey only.
    const row = HEX.test(lookupKey) ? getAuth.get(lookupKey) : undefined;
    if (!row) throw NO_MATCH();
    res.json(row);
  });

  router.post("/user", (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const email = emailField(body.email);
    if (typeof body.walletAddress !== "string" || !isAddress(body.walletAddress)) {
      throw new AsixError("INVALID_INPUT", "walletAddress must be an address");
    }
    const walletAddress = getAddress(body.walletAddress);
    try {
      insertUser.run(email, walletAddress, Date.now());
    } catch (e) {
      if ((e as { code?: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
        throw new AsixError("CONFLICT", "this email is already registered");
      }
      throw e;
    }
    res.status(201).json({ email, walletAddress });
  });

  router.get("/users/check", (req, res) => {
    const email = emailField(req.query.email);
    res.json({ exists: getUser.get(email) !== undefined });
  });

  return router;
}

function hexField(body: Record<string, unknown>, name: string, maxLength: number): string {
  const v = body[name];
  if (typeof v !== "string" || v.length === 0 || v.length > maxLength || !HEX.test(v)) {
    throw new AsixError("INVALID_INPUT", `${name} must be a hex string of at most ${maxLength} characters`);
  }
  return v.toLowerCase();
}

function emailField(v: unknown): string {
  if (typeof v !== "string" || !EMAIL.test(v.trim())) throw new AsixError("INVALID_INPUT", "email must be an email address");
  return normalizeEmail(v);
}
