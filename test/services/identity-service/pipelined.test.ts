import { expect } from "chai";
import path from "node:path";
import axios from "axios";
import Database from "better-sqlite3";
import { Wallet } from "ethers";
import { createUser, post, relayBody, RELAYER_KEYS, startIdentityFixture, type IdentityFixture } from "./fixture";

/**
 * A relayer sends its next transaction before the last one is mined, so the batched data chain puts
 * several of one relayer's transactions in one block; the discovery node must then index each of
 * them once, with the outcome each action deserves.
 */
describe("identity service: pipelined relayer", function () {
  this.timeout(120_000);
  let f: IdentityFixture;

  before(async () => {
    // one relayer, so a block holding two relayed actions holds two of its transactions
    f = await startIdentityFixture({ relayerPrivateKeys: [RELAYER_KEYS[0]] });
  });
  after(async () => f?.close());

  it("puts one relayer's concurrent actions in shared blocks, each indexed exactly once with its own outcome", async () => {
    const follower = await createUser(f, Wallet.createRandom());
    const followed = await Promise.all(Array.from({ length: 6 }, () => createUser(f, Wallet.createRandom())));
    const missing = Array.from({ length: 6 }, (_, i) => 990_000_000 + i); // no such users: the index rejects these follows
    const targets = [...followed.map((u) => ({ id: u.userId, applies: true })), ...missing.map((id) => ({ id, applies: false }))];
    const bodies = await Promise.all(
      targets.map((t) => relayBody(f.fx, follower.wallet, { userId: follower.userId, entityType: "User", entityId: t.id, action: "Follow", metadata: "" })),
    );

    const answers = await Promise.all(bodies.map((b) => post(`${f.service.url}/relay`, b)));
    for (const a of answers) expect(a.status, JSON.stringify(a.data)).to.equal(200);
    const receipts = answers.map((a) => a.data.receipt as { transactionHash: string; blockNumber: number });
    const perBlock = new Map<number, number>();
    for (const r of receipts) perBlock.set(r.blockNumber, (perBlock.get(r.blockNumber) ?? 0) + 1);
    // held until mined, one relayer would have needed a block per action
    expect(perBlock.size, `${receipts.length} actions of one relayer in ${perBlock.size} blocks`).to.be.below(receipts.length);
    expect(Math.max(...perBlock.values())).to.be.at.least(2);

    const last = Math.max(...receipts.map((r) => r.blockNumber));
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      const health = await axios.get(`${f.discovery.url}/health_check`, { validateStatus: () => true });
      if (health.data?.data?.latest_indexed_block >= last) break;
      await new Promise((r) => setTimeout(r, delay));
    }
    const index = new Database(path.join(f.dir, "..", "discovery", "discovery.sqlite"), { readonly: true });
    try {
      const rowsOf = index.prepare("SELECT status FROM actions WHERE lower(txhash) = lower(?)").pluck();
      targets.forEach((t, i) => {
        expect(rowsOf.all(receipts[i].transactionHash), `follow of ${t.id}`).to.deep.equal([t.applies ? "applied" : "rejected"]);
      });
    } finally {
      index.close();
    }
  });
});
