import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * The identity service's SQLite store: wallet ciphertexts, email links, hourly relay counters, daily eth
 * relay counters and pending OAuth authorizations. One file per service in its state dir.
 */
export type IdentityDb = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS authentications (
  lookup_key  TEXT PRIMARY KEY,
  iv          TEXT NOT NULL,
  cipher_text TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
  email          TEXT PRIMARY KEY,
  wallet_address TEXT NOT NULL,
  created_at     INTEGER NOT NULL
);
-- fixed windows per action key (an hour for /relay, a day for /eth_relay): window_start is a unix second divisible by the window
CREATE TABLE IF NOT EXISTS relay_counts (
  signer       TEXT NOT NULL,
  action_key   TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count        INTEGER NOT NULL,
  PRIMARY KEY (signer, action_key, window_start)
);
CREATE TABLE IF NOT EXISTS oauth_states (
  state         TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL,
  wallet        TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  expires_at    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS verifications (
  user_id          TEXT PRIMARY KEY,
  provider_subject TEXT NOT NULL,
  transaction_hash TEXT NOT NULL,
  verified_at      INTEGER NOT NULL
);
`;

export function openIdentityDb(dir: string): IdentityDb {
  fs.mkdirSync(dir, { recursive: true });
  const db = new Database(path.join(dir, "identity.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(SCHEMA);
  return db;
}
