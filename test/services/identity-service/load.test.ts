import { expect } from "chai";
import { Wallet } from "ethers";
import { createUser, manageEntityEvents, nonces, post, relayBody, startIdentityFixture, type IdentityFixture } from "./fixture";

const SIGNERS = 50;
const ACTIONS_PER_SIGNER = 40;
const IN_FLIGHT = 50;
const KINDS = [
  { action: "Follow", entityType: "User" },
  { action: "Save", entityType: "Track" },
  { action: "Repost", entityType: "Track" },
  { action: "Save", entityType: "Playlist" },
] as const;

describe("identity service: relay under load", function () {
  this.timeout(300_000);
  let f: IdentityFixture;

  before(async () => {
    f = await startIdentityFixture();
  });
  after(async () => f?.close());

  it(`confirms ${SIGNERS} signers × ${ACTIONS_PER_SIGNER} actions relayed concurrently exactly once, with no nonce errors`, async () => {
    const signers = Array.from({ length: SIGNERS }, () => Wallet.createRandom());
    // the relay pays only for a user's own actions: each signer's user first
    const userIds = (await Promise.all(signers.map((s) => createUser(f, s)))).map((u) => u.userId);
    const jobs: { key: string; body: Awaited<ReturnType<typeof relayBody>> }[] = [];
    for (let s = 0; s < SIGNERS; s++) {
      for (let a = 0; a < ACTIONS_PER_SIGNER; a++) {
        const kind = KINDS[a % KINDS.length];
        const message = { userId: userIds[s], entityType: kind.entityType, entityId: 5000 + a, action: kind.action, metadata: "" };
        jobs.push({
          key: `${signers[s].address}|${message.userId}|${kind.entityType}|${message.entityId}|${kind.action}`,
          body: await relayBody(f.fx, signers[s], message),
        });
      }
    }
    // interleave the signers, as real traffic would
    jobs.sort((x, y) => (x.body.encodedABI < y.body.encodedABI ? -1 : 1));
    const fromBlock = (await f.fx.provider.getBlockNumber()) + 1;
    const noncesBefore = await nonces(f.fx, f.relayerAddresses);

    const failures: string[] = [];
    const txHashes = new Set<string>();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++];
          const res = await post(`${f.service.url}/relay`, job.body);
          if (res.status !== 200) failures.push(`${res.status} ${JSON.stringify(res.data)}`);
          else txHashes.add(res.data.receipt.transactionHash);
        }
      }),
    );
    expect(failures, failures.slice(0, 3).join("\n")).to.deep.equal([]);
    expect(txHashes.size).to.equal(jobs.length);

    const events = await manageEntityEvents(f.fx, fromBlock);
    const seen = new Map<string, number>();
    for (const e of events) {
      const key = `${e.signer}|${e.userId}|${e.entityType}|${e.entityId}|${e.action}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(events).to.have.length(jobs.length);
    for (const job of jobs) expect(seen.get(job.key), job.key).to.equal(1);
    expect(new Set(events.map((e) => e.transactionHash))).to.deep.equal(txHashes);

    // every relayer shared the work, and not one transaction was wasted or left pending
    const noncesAfter = await nonces(f.fx, f.relayerAddresses);
    const sent = noncesAfter.map((n, i) => n - noncesBefore[i]);
    expect(sent.reduce((a, b) => a + b, 0)).to.equal(jobs.length);
    for (const n of sent) expect(n).to.be.greaterThan(0);
    const latest = await Promise.all(f.relayerAddresses.map((a) => f.fx.provider.getTransactionCount(a, "latest")));
    expect(latest).to.deep.equal(noncesAfter);
    expect(f.logs.filter((l) => /nonce/i.test(JSON.stringify(l)))).to.deep.equal([]);
  });
});
