import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { openIdentityDb } from "../../../devnet/services/identity-service/db";

/** A database as the previous version of the service left it. */
function oldDatabase(dir: string): void {
  const db = new Database(path.join(dir, "identity.sqlite"));
  db.exec(`
    CREATE TABLE authentications (lookup_key TEXT PRIMARY KEY, iv TEXT NOT NULL, cipher_text TEXT NOT NULL, created_at INTEGER NOT NULL);
    CREATE TABLE users (email TEXT PRIMARY KEY, wallet_address TEXT NOT NULL, created_at INTEGER NOT NULL);
    CREATE TABLE verifications (user_id TEXT PRIMARY KEY, provider_subject TEXT NOT NULL, transaction_hash TEXT NOT NULL, verified_at INTEGER NOT NULL);
    INSERT INTO authentications VALUES ('aa', '00', 'ff', 1);
    INSERT INTO users VALUES ('squatted@example.org', '0x0000000000000000000000000000000000000001', 1);
    INSERT INTO verifications VALUES ('3000002', 'sub-shared', '0x02', 200);
    INSERT INTO verifications VALUES ('3000001', 'sub-shared', '0x01', 100);
    INSERT INTO verifications VALUES ('3000003', 'sub-shared', '0x03', 300);
    INSERT INTO verifications VALUES ('3000004', 'sub-alone', '0x04', 400);
  `);
  db.close();
}

describe("identity service: database migrations", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-identity-db-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("keeps only the first user a shared OAuth subject verified, and refuses a second one from then on", () => {
    oldDatabase(dir);
    const db = openIdentityDb(dir);
    try {
      const rows = db.prepare("SELECT user_id, provider_subject FROM verifications ORDER BY user_id").all();
      expect(rows).to.deep.equal([
        { user_id: "3000001", provider_subject: "sub-shared" },
        { user_id: "3000004", provider_subject: "sub-alone" },
      ]);
      expect(() => db.prepare("INSERT INTO verifications VALUES ('3000005', 'sub-alone', '0x05', 500)").run()).to.throw(/UNIQUE/);
    } finally {
      db.close();
    }
  });

  it("drops the unsigned email claims and keeps every wallet ciphertext", () => {
    oldDatabase(dir);
    const db = openIdentityDb(dir);
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      expect(tables).to.not.include("users");
      expect(tables).to.include("email_links");
      expect(db.prepare("SELECT lookup_key, iv, cipher_text FROM authentications").all()).to.deep.equal([{ lookup_key: "aa", iv: "00", cipher_text: "ff" }]);
    } finally {
      db.close();
    }
    // and opening it again changes nothing
    const again = openIdentityDb(dir);
    expect(again.prepare("SELECT count(*) FROM verifications").pluck().get()).to.equal(2);
    again.close();
  });
});
