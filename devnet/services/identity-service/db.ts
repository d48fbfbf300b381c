import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * The identity service's SQLite store: wallet ciphertexts, signed email links, rate limit counters
 * pending OAuth authorizations and the recent relayed actions. One file per service in its state dir.
 */
export type IdentityDb = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS authentications (
  lookup_key  TEXT PRIMARY KEY,
  iv          TEXT NOT NULL,
  cipher_text TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
-- the email a wallet's holder declared (signed by that wallet); an email may be declared by several
-- wallets, so declaring one blocks no one
CREATE TABLE IF NOT EXISTS email_links (
  wallet_address TEXT PRIMARY KEY,
  email          TEXT NOT NULL,
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
-- the most recent relayed (or refused) EntityManager actions, for inspectors; bounded by relayLog.ts
CREATE TABLE IF NOT EXISTS relayed_actions (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  at            INTEGER NOT NULL,
  signer        TEXT NOT NULL,
  user_id       TEXT NOT NULL,
  entity_type   TEXT NOT NULL,
  entity_id     TEXT NOT NULL,
  action        TEXT NOT NULL,
  status        TEXT NOT NULL,
  tx_hash       TEXT NOT NULL DEFAULT '',
  block_number  INTEGER,
  relayer       TEXT NOT NULL DEFAULT '',
  gas_used      TEXT NOT NULL DEFAULT '',
  gas_price     TEXT NOT NULL DEFAULT '',
  error_code    TEXT NOT NULL DEFAULT '',
  error_message TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS verifications (
  user_id          TEXT PRIMARY KEY,
  provider_subject TEXT NOT NULL,
  transaction_hash TEXT NOT NULL,
  verified_at      INTEGER NOT NULL
);
`;

/**
 * Migrations of databases made by earlier versions, each idempotent, run in one transaction:
 *  - `users` (email → wallet, first come, unsigned) gave way to `email_links`. Its rows were never
 *    proven by the wallet, so they are dropped rather than carried over as if they had been.
 *  - one provider subject verifies at most one user: where a subject verified several, the first
 *    verification stays and the later ones are removed, then a unique index keeps it so
 *    (the chain keeps its ManageIsVerified events; this table is what the service vouches for next).
 */
const MIGRATIONS = `
DROP TABLE IF EXISTS users;
DELETE FROM verifications WHERE EXISTS (
  SELECT 1 FROM verifications AS earlier WHERE earlier.provider_subject = verifications.provider_subject
    AND (earlier.verified_at < verifications.verified_at OR (earlier.verified_at = verifications.verified_at AND earlier.rowid < verifications.rowid)));
CREATE UNIQUE INDEX IF NOT EXISTS verifications_provider_subject ON verifications (provider_subject);
`;

export function openIdentityDb(dir: string): IdentityDb {
  fs.mkdirSync(dir, { recursive: true });
  const db = new Database(path.join(dir, "identity.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.transaction(() => {
    db.exec(SCHEMA);
    db.exec(MIGRATIONS);
  })();
  return db;
}

/**
 * Whether the identity database in `dir` holds anything a user made (a wallet, an email, a relayed
 * or refused action, an OAuth flow, a verification); false when there is no database. Read-only,
 * beside the running service (WAL): the seed cache's pristine check (devnet/seed/cache.ts).
 */
export function holdsUserRecords(dir: string): boolean {
  const file = path.join(dir, "identity.sqlite");
  if (!fs.existsSync(file)) return false;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return ["authentications", "email_links", "relayed_actions", "oauth_states", "verifications"].some((table) => db.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() !== undefined);
  } finally {
    db.close();
  }
}
