import { expect } from "chai";
import axios from "axios";
import { Wallet } from "ethers";
import { signUp, logIn } from "../../../sdk/auth";
import { signEmailLink } from "../../../sdk/auth/emailLink";
import { isAsixError, type AsixError } from "../../../sdk/errors";
import { createUser, nonces, post, relayBody, startIdentityFixture, type IdentityFixture } from "./fixture";

/**
 * Issue 10 items 10 and 11, as a hostile user would try them: gas griefing through the relay
 * from throwaway wallets, email enumeration, email squatting and brute-force bursts.
 */

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const JUNK_BYTES = 120_000;

describe("identity service: hostile clients", function () {
  this.timeout(120_000);
  let f: IdentityFixture;
  /** a real user, owned by `owner` */
  let victim: { wallet: Wallet; userId: number };

  before(async () => {
    f = await startIdentityFixture({ ipRateLimits: { CreateUser: 4 } });
    const owner = Wallet.createRandom() as unknown as Wallet;
    victim = { wallet: owner, userId: (await createUser(f, owner)).userId };
  });
  after(async () => f?.close());

  const balances = () => Promise.all(f.relayerAddresses.map((a) => f.fx.provider.getBalance(a)));

  /** Run `fn` and check that the relayers paid nothing: same balances, same nonces, no block. */
  async function expectNoGasSpent(fn: () => Promise<void>) {
    const [block, balancesBefore, noncesBefore] = [await f.fx.provider.getBlockNumber(), await balances(), await nonces(f.fx, f.relayerAddresses)];
    await fn();
    expect(await balances()).to.deep.equal(balancesBefore);
    expect(await nonces(f.fx, f.relayerAddresses)).to.deep.equal(noncesBefore);
    expect(await f.fx.provider.getBlockNumber()).to.equal(block);
  }

  it("pays nothing for junk actions with 120 kB of metadata from 20 throwaway wallets, and reports what they would have cost", async () => {
    const junk = "x".repeat(JUNK_BYTES);
    const kinds = [
      { entityType: "Track", action: "Create", userId: () => 1 },
      { entityType: "User", action: "Create", userId: (i: number) => 3_900_000 + i },
      { entityType: "User", action: "Update", userId: () => victim.userId },
      { entityType: "Playlist", action: "Create", userId: () => victim.userId },
    ];
    const bodies = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const kind = kinds[i % kinds.length];
        const userId = kind.userId(i);
        const entityId = kind.entityType === "User" ? userId : 5_000 + i;
        const metadata = JSON.stringify({ cid: "", data: { handle: `junk${i}`, description: junk } });
        return relayBody(f.fx, Wallet.createRandom() as unknown as Wallet, { userId, entityType: kind.entityType, entityId, action: kind.action, metadata });
      }),
    );
    // what the relayers would have paid, had these been sent (the chain's own estimate)
    const estimates = await Promise.all(
      bodies.map((b) => f.fx.provider.estimateGas({ from: f.relayerAddresses[0], to: f.fx.entityManagerAddress, data: b.encodedABI })),
    );
    const wouldHaveCost = estimates.reduce((a, b) => a + b, 0n);
    console.log(`      refused junk would have cost ${wouldHaveCost} gas (${estimates.length} actions, about ${estimates[0]} each)`);
    expect(wouldHaveCost > 20n * 2_000_000n).to.equal(true);

    await expectNoGasSpent(async () => {
      const answers = await Promise.all(bodies.map((b) => post(`${f.service.url}/relay`, b)));
      for (const res of answers) {
        expect(res.status, JSON.stringify(res.data)).to.equal(413);
        expect(res.data.error.code).to.equal("PAYLOAD_TOO_LARGE");
      }
    });
  });

  it("pays nothing for small actions whose signer owns no user, or not this one", async () => {
    const stranger = Wallet.createRandom() as unknown as Wallet;
    await expectNoGasSpent(async () => {
      const foreign = await post(`${f.service.url}/relay`, await relayBody(f.fx, stranger, { userId: victim.userId, entityType: "Track", entityId: 42, action: "Create", metadata: JSON.stringify({ cid: "", data: { title: "not mine" } }) }));
      expect(foreign.status, JSON.stringify(foreign.data)).to.equal(401);
      expect(foreign.data.error.message).to.match(/does not own user/);
      const nobody = await post(`${f.service.url}/relay`, await relayBody(f.fx, stranger, { userId: 3_999_999, entityType: "User", entityId: victim.userId, action: "Follow", metadata: "" }));
      expect(nobody.status).to.equal(404);
      expect(nobody.data.error.code).to.equal("NOT_FOUND");
      // user Creates that the indexer would reject: a taken id, a second user for a wallet, no handle, a taken handle
      const create = async (wallet: Wallet, userId: number, data: Record<string, unknown>) =>
        post(`${f.service.url}/relay`, await relayBody(f.fx, wallet, { userId, entityType: "User", entityId: userId, action: "Create", metadata: JSON.stringify({ cid: "", data }) }));
      expect((await create(stranger, victim.userId, { handle: "fresh_handle" })).status).to.equal(409);
      expect((await create(victim.wallet, 3_900_100, { handle: "second_user" })).status).to.equal(409);
      expect((await create(stranger, 3_900_101, {})).status).to.equal(400);
      // ids no index can hold
      const huge = 2n ** 64n;
      const far = await post(`${f.service.url}/relay`, await relayBody(f.fx, victim.wallet, { userId: victim.userId, entityType: "User", entityId: huge, action: "Follow", metadata: "" }));
      expect(far.status).to.equal(400);
      expect(far.data.error.message).to.match(/beyond what any index holds/);
      const victimHandle = (await axios.get(`${f.discovery.url}/v1/users/account/${victim.wallet.address}`)).data.data.handle;
      expect((await create(stranger, 3_900_102, { handle: victimHandle.toUpperCase() })).status).to.equal(409);
    });
  });

  it("caps metadata by kind even for a user's own actions", async () => {
    await expectNoGasSpent(async () => {
      const big = JSON.stringify({ cid: "", data: { title: "t", description: "d".repeat(30_000) } });
      const res = await post(`${f.service.url}/relay`, await relayBody(f.fx, victim.wallet, { userId: victim.userId, entityType: "Track", entityId: 43, action: "Create", metadata: big }));
      expect(res.status).to.equal(413);
      expect(res.data.error.message).to.match(/at most 24576 are relayed/);
      const chatty = await post(`${f.service.url}/relay`, await relayBody(f.fx, victim.wallet, { userId: victim.userId, entityType: "Track", entityId: 43, action: "Save", metadata: "s".repeat(1_000) }));
      expect(chatty.status).to.equal(413);
    });
  });

  it("limits user Creates per IP, whatever the number of throwaway wallets", async () => {
    // the fixture allows 4 per IP and hour, and `before` used one; counting windows are fixed hours,
    // so a run across the hour may see up to 8 pass before the refusal
    let created = 1;
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 8 && !refused; i++) {
      const wallet = Wallet.createRandom() as unknown as Wallet;
      const userId = 3_950_000 + i;
      const metadata = JSON.stringify({ cid: "", data: { handle: `throwaway_${i}` } });
      const balancesBefore = await balances();
      const res = await post(`${f.service.url}/relay`, await relayBody(f.fx, wallet, { userId, entityType: "User", entityId: userId, action: "Create", metadata }));
      if (res.status === 200) {
        created++;
        continue;
      }
      refused = res;
      expect(await balances()).to.deep.equal(balancesBefore);
    }
    expect(refused?.status, JSON.stringify(refused?.data)).to.equal(429);
    expect(refused!.data.error.message).to.match(/^CreateUser is limited to 4 per hour for each IP/);
    expect(Number(refused!.headers["retry-after"])).to.be.within(1, 3600);
    expect(created).to.be.within(4, 8);
  });

  it("does not let anyone claim an email for a wallet it does not hold, nor block its owner by claiming it", async () => {
    const email = "victim@example.org";
    const victimWallet = Wallet.createRandom();
    const squatter = Wallet.createRandom();
    const unsigned = await post(`${f.service.url}/user`, { email, walletAddress: victimWallet.address });
    expect(unsigned.status).to.equal(401);
    const forged = { ...(await signEmailLink(squatter, email)), walletAddress: victimWallet.address };
    const byOther = await post(`${f.service.url}/user`, forged);
    expect(byOther.status).to.equal(401);
    expect(byOther.data.error.code).to.equal("UNAUTHORIZED");
    const stale = await post(`${f.service.url}/user`, await signEmailLink(squatter, email, Date.now() - 10 * 60_000));
    expect(stale.status).to.equal(401);
    // the squatter may declare the email for its own wallet, which blocks no one
    expect((await post(`${f.service.url}/user`, await signEmailLink(squatter, email))).status).to.equal(201);
    const owner = await signUp({ identityUrl: f.service.url, email, password: "the-owners-password" });
    expect((await logIn({ identityUrl: f.service.url, email, password: "the-owners-password" })).walletAddress).to.equal(owner.walletAddress);
  });

  it("answers a brute-force burst on /authentication with 429 JSON, per lookup key and per IP, whatever X-Forwarded-For says", async () => {
    const get = (lookupKey: string, forwardedFor?: string) =>
      axios.get(`${f.service.url}/authentication`, {
        params: { lookupKey },
        headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
        validateStatus: () => true,
      });
    // one lookup key: 10 a minute (windows are fixed minutes, so a run across one may pass up to 20)
    const one = "ab".repeat(32);
    const statuses: number[] = [];
    let refusal;
    while (statuses.length < 25 && !refusal) {
      const res = await get(one);
      statuses.push(res.status);
      if (res.status === 429) refusal = res;
    }
    expect(refusal?.data.error.code).to.equal("RATE_LIMITED");
    expect(refusal!.data.error.message).to.match(/for each key/);
    expect(statuses.filter((s) => s === 404).length).to.be.within(10, 20);
    // many lookup keys from one IP, each claiming another origin: 60 a minute in all
    const burst = await Promise.all(
      Array.from({ length: 200 }, (_, i) => get(i.toString(16).padStart(64, "0"), `10.0.${i >> 8}.${i & 255}`)),
    );
    const limited = burst.filter((r) => r.status === 429);
    expect(burst.filter((r) => r.status === 404).length).to.be.at.most(2 * 60);
    expect(limited.length).to.be.at.least(200 - 2 * 60);
    for (const r of limited) {
      expect(r.headers["content-type"]).to.match(/application\/json/);
      expect(r.data.error.message).to.match(/for each IP/);
      expect(Number(r.headers["retry-after"])).to.be.within(1, 60);
    }
  });

  it("tells an SDK caller refused for too many log-ins when to try again, as a number, not in the message", async () => {
    const email = "many-logins@example.com";
    await signUp({ identityUrl: f.service.url, email, password: "a-fine-password" });
    let refused: unknown;
    for (let i = 0; i < 25 && !refused; i++) {
      refused = await logIn({ identityUrl: f.service.url, email, password: "a-fine-password" }).then(() => undefined, (e: unknown) => e);
    }
    expect(isAsixError(refused, "RATE_LIMITED"), String(refused)).to.equal(true);
    expect((refused as AsixError).details.retryAfterSeconds).to.be.a("number").within(1, 60);
  });

  it("answers a burst on /users/check with 429 JSON", async () => {
    const burst = await Promise.all(
      Array.from({ length: 200 }, (_, i) => axios.get(`${f.service.url}/users/check`, { params: { email: `b${i}@example.org` }, validateStatus: () => true })),
    );
    expect(burst.filter((r) => r.status === 429).length).to.be.at.least(200 - 2 * 60);
    expect(burst.every((r) => r.status === 200 || r.data.error.code === "RATE_LIMITED")).to.equal(true);
  });
});

describe("identity service: no email enumeration", function () {
  this.timeout(120_000);
  const SAMPLES = 60;
  let f: IdentityFixture;

  before(async () => {
    // enough requests per minute for a fair sample of timings; the limits themselves are tested above
    f = await startIdentityFixture({ requestLimits: { perIp: { emailCheck: 1_000, emailLink: 1_000 } } });
  });
  after(async () => f?.close());

  it("answers /users/check the same for a registered and an unknown email, in the same time", async () => {
    const registered = await Promise.all(
      Array.from({ length: SAMPLES }, async (_, i) => {
        const email = `known${i}@example.org`;
        expect((await post(`${f.service.url}/user`, await signEmailLink(Wallet.createRandom(), email))).status).to.equal(201);
        return email;
      }),
    );
    const check = (email: string) => axios.get(`${f.service.url}/users/check`, { params: { email }, validateStatus: () => true });
    const known: number[] = [];
    const unknown: number[] = [];
    const timed = async (email: string, into: number[]) => {
      const t = performance.now();
      const res = await check(email);
      into.push(performance.now() - t);
      return res;
    };
    for (let i = 0; i < registered.length; i++) {
      // alternate which goes first, so nothing about order favours one kind
      const pair: [string, number[]][] = [[registered[i], known], [`unknown${i}@example.org`, unknown]];
      const answers = [];
      for (const [email, into] of i % 2 ? pair : pair.reverse()) answers.push(await timed(email, into));
      expect(answers.map((r) => r.status)).to.deep.equal([200, 200]);
      expect(answers[1].data).to.deep.equal(answers[0].data);
    }
    // both paths do the same work (none depends on the email), so neither median is a multiple of the other
    const ratio = median(unknown) / median(known);
    expect(ratio, `unknown ${median(unknown)} ms vs known ${median(known)} ms`).to.be.within(0.5, 2);
  });

});

describe("identity service: per-IP limits behind a discovery node", function () {
  this.timeout(120_000);
  let f: IdentityFixture;

  before(async () => {
    // the discovery node runs on loopback: the service believes its X-Forwarded-For, and no one else's
    f = await startIdentityFixture({ ipRateLimits: { CreateUser: 1 }, trustProxy: "loopback" });
  });
  after(async () => f?.close());

  it("passes relays and refusals through a trusted discovery node, counted against the client's IP, not the node's", async () => {
    const create = async (clientIp: string, i: number) => {
      const wallet = Wallet.createRandom() as unknown as Wallet;
      const userId = 3_960_000 + i;
      const metadata = JSON.stringify({ cid: "", data: { handle: `forwarded_${i}` } });
      const body = await relayBody(f.fx, wallet, { userId, entityType: "User", entityId: userId, action: "Create", metadata });
      return axios.post(`${f.discovery.url}/relay`, body, { headers: { "x-forwarded-for": clientIp }, validateStatus: () => true });
    };
    // the identity service's answer comes back through the discovery node as it was sent
    const first = await create("203.0.113.7", 1);
    expect(first.status, JSON.stringify(first.data)).to.equal(200);
    const mined = await f.fx.provider.getTransactionReceipt(first.data.receipt.transactionHash);
    expect(mined?.status).to.equal(1);
    expect(first.data.receipt.blockHash).to.equal(mined?.blockHash);
    expect((await create("198.51.100.9", 2)).status).to.equal(200);
    const again = await create("203.0.113.7", 3);
    expect(again.status, JSON.stringify(again.data)).to.equal(429);
    expect(again.data.error.code).to.equal("RATE_LIMITED");
    expect(again.data.error.message).to.match(/for each IP/);
    expect(Number(again.headers["retry-after"])).to.be.within(1, 3600);
  });
});
