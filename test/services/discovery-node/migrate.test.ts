import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { expect } from "chai";
import { openDb } from "../../../devnet/services/discovery-node/db";

describe("discovery node: schema migration", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-dn-migrate-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("adds the rejection code column to an index written before codes existed, keeping its rows", () => {
    const old = new Database(path.join(dir, "discovery.sqlite"));
    old.exec(`CREATE TABLE actions (
      blocknumber INTEGER NOT NULL, log_index INTEGER NOT NULL, txhash TEXT NOT NULL,
      user_id TEXT NOT NULL, signer TEXT NOT NULL, entity_type TEXT NOT NULL, entity_id TEXT NOT NULL,
      action TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (blocknumber, log_index)
    ) WITHOUT ROWID`);
    old.prepare("INSERT INTO actions VALUES (7, 0, '0xabc', '1', '0xsigner', 'User', '1', 'Create', 'rejected', 'handle x is taken')").run();
    old.close();

    const db = openDb(dir);
    try {
      expect(db.prepare("SELECT status, reason, code FROM actions").all()).to.deep.equal([
        { status: "rejected", reason: "handle x is taken", code: "" },
      ]);
      db.prepare("INSERT INTO actions (blocknumber, log_index, txhash, user_id, signer, entity_type, entity_id, action, status, reason, code) VALUES (8, 0, '0xdef', '1', '0xs', 'User', '1', 'Update', 'rejected', 'r', 'conflict')").run();
    } finally {
      db.close();
    }
    // a second open finds the column there and leaves the file as it is
    const again = openDb(dir);
    try {
      expect(again.prepare("SELECT code FROM actions ORDER BY blocknumber").pluck().all()).to.deep.equal(["", "conflict"]);
    } finally {
      again.close();
    }
  });
});
