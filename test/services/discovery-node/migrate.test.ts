import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { expect } from "chai";
import pg from "pg";
import { openDb } from "../../../devnet/services/discovery-node/db";
import { discoveryDatabaseUrl } from "../../helpers/postgres";
import { BACKEND } from "./fixture";

const OLD_ACTIONS = `CREATE TABLE actions (
  blocknumber INTEGER NOT NULL, log_index INTEGER NOT NULL, txhash TEXT NOT NULL,
  user_id TEXT NOT NULL, signer TEXT NOT NULL, entity_type TEXT NOT NULL, entity_id TEXT NOT NULL,
  action TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (blocknumber, log_index)
)`;
const OLD_ROW = "INSERT INTO actions VALUES (7, 0, '0xabc', '1', '0xsigner', 'User', '1', 'Create', 'rejected', 'handle x is taken')";

describe(`discovery node (${BACKEND}): schema migration`, () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-dn-migrate-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** An index as an older release left it: the actions table without the `code` column. */
  async function oldIndex(): Promise<string | undefined> {
    const url = await discoveryDatabaseUrl();
    if (url) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(OLD_ACTIONS);
      await client.query(OLD_ROW);
      await client.end();
    } else {
      const old = new Database(path.join(dir, "discovery.sqlite"));
      old.exec(OLD_ACTIONS + " WITHOUT ROWID");
      old.prepare(OLD_ROW).run();
      old.close();
    }
    return url;
  }

  it("adds the rejection code column to an index written before codes existed, keeping its rows", async () => {
    const url = await oldIndex();
    const db = await openDb(dir, url);
    try {
      expect(await db.all("SELECT status, reason, code FROM actions")).to.deep.equal([
        { status: "rejected", reason: "handle x is taken", code: "" },
      ]);
      await db.run("INSERT INTO actions (blocknumber, log_index, txhash, user_id, signer, entity_type, entity_id, action, status, reason, code) VALUES (8, 0, '0xdef', '1', '0xs', 'User', '1', 'Update', 'rejected', 'r', 'conflict')");
    } finally {
      await db.close();
    }
    // a second open finds the column there and leaves the index as it is
    const again = await openDb(dir, url);
    try {
      expect((await again.all<{ code: string }>("SELECT code FROM actions ORDER BY blocknumber")).map((r) => r.code)).to.deep.equal(["", "conflict"]);
    } finally {
      await again.close();
    }
  });
});
