import { expect } from "chai";
import { openDb } from "../../../devnet/services/discovery-node/db";
import { numberPlaceholders } from "../../../devnet/services/discovery-node/store/postgres";
import { AsixError } from "../../../sdk/errors";
import { freePortBase } from "../../helpers/ports";

describe("discovery node: choosing the index's database", () => {
  const refused = async (url: string) => {
    try {
      const db = await openDb("/nonexistent-never-used", url);
      await db.close();
    } catch (e) {
      return e as AsixError;
    }
    throw new Error(`opened ${url}`);
  };

  it("refuses a database URL that is not postgres://", async () => {
    const e = await refused("mysql://u:p@127.0.0.1/db");
    expect(e).to.be.instanceOf(AsixError);
    expect(e.code).to.equal("INVALID_INPUT");
    expect(e.message).to.match(/postgres:\/\//);
  });

  it("says in one line, without the password, that a PostgreSQL server cannot be reached", async () => {
    const port = await freePortBase(1); // claimed and free: nothing listens there
    const e = await refused(`postgres://asix:s3cret@127.0.0.1:${port}/index`);
    expect(e).to.be.instanceOf(AsixError);
    expect(e.code).to.equal("NODE_UNAVAILABLE");
    expect(e.message).to.include(`127.0.0.1:${port}`).and.not.include("s3cret");
    expect(e.message).to.match(/ECONNREFUSED/);
    expect(e.message).to.not.include("\n");
  });

  it("numbers ? placeholders for PostgreSQL, leaving quoted text alone", () => {
    expect(numberPlaceholders("SELECT '?' AS \"a?\", x FROM t WHERE a = ? AND b IN (?, ?)")).to.equal("SELECT '?' AS \"a?\", x FROM t WHERE a = $1 AND b IN ($2, $3)");
  });
});
