import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type http from "node:http";
import express from "express";
import { expect } from "chai";
import { AsixError } from "../../../sdk/errors";
import { openIdentityDb, type IdentityDb } from "../../../devnet/services/identity-service/db";
import { RelayLog, relayLogRoutes } from "../../../devnet/services/identity-service/relayLog";
import { errorHandler, listen } from "../../../devnet/services/http";

const message = (entityId: number) => ({ userId: 3_000_001n, entityType: "User", entityId: BigInt(entityId), action: "Follow", metadata: "", nonce: "0x" + "00".repeat(32) });
const receipt = (n: number) => ({ blockHash: "0x" + "ab".repeat(32), blockNumber: n, transactionHash: "0x" + n.toString(16).padStart(64, "0"), from: "0x" + "11".repeat(20), status: 1, gasUsed: 50_000n, effectiveGasPrice: 1_000_000_000n });
const SIGNER = "0x" + "22".repeat(20);

describe("identity service: relay log", () => {
  let dir: string;
  let db: IdentityDb;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-relay-log-"));
    db = openIdentityDb(dir);
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("records relayed actions decoded with their gas, and refusals with their code, newest first", () => {
    const log = new RelayLog(db);
    log.relayed(message(3_000_002), SIGNER, receipt(7));
    log.refused(message(3_000_003), SIGNER, new AsixError("UNAUTHORIZED", "the signer does not own user 3000001; nothing was relayed"));
    const [refused, relayed] = log.recent(10);
    expect(relayed).to.include({ signer: SIGNER, user_id: "3000001", entity_type: "User", entity_id: "3000002", action: "Follow", status: "relayed", block_number: 7, gas_used: "50000", gas_price: "1000000000", error_code: "" });
    expect(relayed.tx_hash).to.equal(receipt(7).transactionHash);
    expect(refused).to.include({ entity_id: "3000003", status: "refused", tx_hash: "", gas_used: "", error_code: "UNAUTHORIZED" });
  });

  it("keeps only the newest actions, and keeps them across a restart", () => {
    const log = new RelayLog(db, 5);
    for (let i = 1; i <= 12; i++) log.relayed(message(3_000_000 + i), SIGNER, receipt(i));
    expect(log.recent(100).map((a) => a.block_number)).to.deep.equal([12, 11, 10, 9, 8]);
    expect((db.prepare("SELECT COUNT(*) AS n FROM relayed_actions").get() as { n: number }).n).to.equal(5);
    db.close();
    db = openIdentityDb(dir);
    expect(new RelayLog(db, 5).recent(2).map((a) => a.block_number)).to.deep.equal([12, 11]);
  });

  it("serves GET /relay/recent and answers a bad limit with a JSON 400", async () => {
    const log = new RelayLog(db);
    log.relayed(message(3_000_002), SIGNER, receipt(3));
    const app = express();
    app.use(relayLogRoutes(log));
    app.use(errorHandler());
    const server = await listen(app as unknown as http.RequestListener);
    try {
      const ok = await fetch(`${server.url}/relay/recent?limit=1`);
      expect(ok.status).to.equal(200);
      expect(((await ok.json()) as { data: unknown[] }).data).to.have.length(1);
      for (const bad of ["0", "abc", "501", "1.5"]) {
        const res = await fetch(`${server.url}/relay/recent?limit=${bad}`);
        expect(res.status, bad).to.equal(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).to.equal("INVALID_INPUT");
      }
    } finally {
      await server.close();
    }
  });
});
