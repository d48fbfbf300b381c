import { expect } from "chai";
import { Wallet, getAddress } from "ethers";
import { entityManagerInterface } from "../../../sdk/eip712";
import { DEVNET_ROLES } from "../../../devnet/accounts";
import { startDataChain } from "../../helpers/dataChain";
import { createUser, manageEntityEvents, nonces, post, relayBody, startIdentityFixture, waitForUser, type IdentityFixture } from "./fixture";

describe("identity service: POST /relay", function () {
  let f: IdentityFixture;
  let user: Wallet;
  /** the user that `user` owns */
  let me: number;

  before(async () => {
    f = await startIdentityFixture({ rateLimits: { SaveTrack: 2 }, lowBalanceWei: 10n ** 30n });
    user = f.fx.wallet(DEVNET_ROLES.users[0]);
    ({ userId: me } = await createUser(f, user));
  });
  after(async () => f?.close());

  /** Run `fn` and check that it sent no transaction: no block mined, no relayer nonce moved. */
  async function expectNoTransaction(fn: () => Promise<void>) {
    const block = await f.fx.provider.getBlockNumber();
    const before = await nonces(f.fx, f.relayerAddresses);
    await fn();
    expect(await f.fx.provider.getBlockNumber()).to.equal(block);
    expect(await nonces(f.fx, f.relayerAddresses)).to.deep.equal(before);
  }

  it("relays a signed follow and answers the receipt of the ManageEntity event on chain", async () => {
    const from = await f.fx.provider.getBlockNumber();
    const body = await relayBody(f.fx, user, { userId: me, entityType: "User", entityId: 8, action: "Follow", metadata: "" });
    const res = await post(`${f.service.url}/relay`, body);
    expect(res.status, JSON.stringify(res.data)).to.equal(200);
    const { receipt } = res.data;
    expect(receipt.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(receipt.blockNumber).to.be.a("number");
    const chainReceipt = await f.fx.provider.getTransactionReceipt(receipt.transactionHash);
    expect(chainReceipt!.blockHash).to.equal(receipt.blockHash);
    expect(f.relayerAddresses).to.include(getAddress(chainReceipt!.from));
    const events = await manageEntityEvents(f.fx, from + 1);
    expect(events).to.have.length(1);
    expect(events[0]).to.include({ userId: BigInt(me), entityId: 8n, entityType: "User", action: "Follow", signer: user.address });
  });

  it("refuses a tampered encodedABI without sending anything", async () => {
    const body = await relayBody(f.fx, user, { userId: me, entityType: "User", entityId: 9, action: "Follow", metadata: "" });
    // change the entityId word (the third argument) after signing
    const tampered = entityManagerInterface.decodeFunctionData("manageEntity", body.encodedABI);
    const args = [...tampered];
    args[2] = 10n;
    const encodedABI = entityManagerInterface.encodeFunctionData("manageEntity", args);
    await expectNoTransaction(async () => {
      const res = await post(`${f.service.url}/relay`, { ...body, encodedABI });
      expect(res.status).to.equal(401);
      expect(res.data.error.code).to.equal("UNAUTHORIZED");
      expect(res.data.error.message).to.match(/not made by senderAddress/);
    });
  });

  it("refuses a signature that recovers to no wallet", async () => {
    const body = await relayBody(f.fx, user, { userId: me, entityType: "User", entityId: 9, action: "Follow", metadata: "" });
    const args = [...entityManagerInterface.decodeFunctionData("manageEntity", body.encodedABI)];
    args[6] = "0x" + "00".repeat(65);
    await expectNoTransaction(async () => {
      const res = await post(`${f.service.url}/relay`, { ...body, encodedABI: entityManagerInterface.encodeFunctionData("manageEntity", args) });
      expect(res.status).to.equal(401);
      expect(res.data.error.message).to.match(/does not recover/);
    });
  });

  it("refuses, by a dry run, a signature only the contract rejects (v of 0 instead of 27)", async () => {
    const body = await relayBody(f.fx, user, { userId: me, entityType: "User", entityId: 9, action: "Follow", metadata: "" });
    const args = [...entityManagerInterface.decodeFunctionData("manageEntity", body.encodedABI)];
    const sig = args[6] as string;
    args[6] = sig.slice(0, 130) + (parseInt(sig.slice(130), 16) - 27).toString(16).padStart(2, "0");
    await expectNoTransaction(async () => {
      const res = await post(`${f.service.url}/relay`, { ...body, encodedABI: entityManagerInterface.encodeFunctionData("manageEntity", args) });
      expect(res.status).to.equal(422);
      expect(res.data.error.code).to.equal("CHAIN_REVERTED");
    });
  });

  it("reserves enough gas for the largest metadata document relayed (a playlist of 1,300 tracks)", async () => {
    const playlist_contents = Array.from({ length: 1300 }, (_, i) => ({ track_id: 2_000_000 + i, timestamp: 1_700_000_000 + i }));
    const metadata = JSON.stringify({ cid: "", data: { playlist_name: "long", playlist_contents } });
    expect(metadata.length).to.be.within(55_000, 64 * 1024);
    const body = await relayBody(f.fx, user, { userId: me, entityType: "Playlist", entityId: 77, action: "Update", metadata });
    const res = await post(`${f.service.url}/relay`, body);
    expect(res.status, JSON.stringify(res.data)).to.equal(200);
    const receipt = await f.fx.provider.getTransactionReceipt(res.data.receipt.transactionHash);
    expect(receipt!.status).to.equal(1);
  });

  it("refuses a contract that is not whitelisted", async () => {
    const body = await relayBody(f.fx, user, { userId: me, entityType: "User", entityId: 11, action: "Follow", metadata: "" });
    await expectNoTransaction(async () => {
      const other = await post(`${f.service.url}/relay`, { ...body, contractAddress: Wallet.createRandom().address });
      expect(other.status).to.equal(400);
      expect(other.data.error.message).to.match(/not whitelisted/);
      const key = await post(`${f.service.url}/relay`, { ...body, contractRegistryKey: "AsixToken" });
      expect(key.status).to.equal(400);
      expect(key.data.error.message).to.match(/not whitelisted/);
    });
  });

  it("refuses a method other than manageEntity", async () => {
    const base = await relayBody(f.fx, user, { userId: me, entityType: "User", entityId: 11, action: "Follow", metadata: "" });
    await expectNoTransaction(async () => {
      const verify = await post(`${f.service.url}/relay`, {
        ...base,
        encodedABI: entityManagerInterface.encodeFunctionData("manageIsVerified", [7, true]),
      });
      expect(verify.status).to.equal(400);
      expect(verify.data.error.message).to.match(/not a manageEntity call/);
      const junk = await post(`${f.service.url}/relay`, { ...base, encodedABI: "0xdeadbeef" });
      expect(junk.status).to.equal(400);
      expect(junk.data.error.code).to.equal("INVALID_INPUT");
    });
  });

  it("refuses a malformed body with a clear error", async () => {
    await expectNoTransaction(async () => {
      const res = await post(`${f.service.url}/relay`, { contractRegistryKey: "EntityManager" });
      expect(res.status).to.equal(400);
      expect(res.data.error.message).to.match(/contractAddress must be an address/);
    });
  });

  it("refuses a replayed signature, both once on chain and while the first copy is in flight", async () => {
    const body = await relayBody(f.fx, user, { userId: me, entityType: "User", entityId: 12, action: "Follow", metadata: "" });
    const from = await f.fx.provider.getBlockNumber();
    const [a, b] = await Promise.all([post(`${f.service.url}/relay`, body), post(`${f.service.url}/relay`, body)]);
    expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
    await expectNoTransaction(async () => {
      const again = await post(`${f.service.url}/relay`, body);
      expect(again.status).to.equal(409);
      expect(again.data.error.code).to.equal("CONFLICT");
      expect(again.data.error.message).to.match(/replay/);
    });
    expect(await manageEntityEvents(f.fx, from + 1)).to.have.length(1);
  });

  it("answers 429 with Retry-After over the hourly limit of one action, without sending", async () => {
    const save = (entityId: number) => relayBody(f.fx, user, { userId: me, entityType: "Track", entityId, action: "Save", metadata: "" });
    expect((await post(`${f.service.url}/relay`, await save(1))).status).to.equal(200);
    expect((await post(`${f.service.url}/relay`, await save(2))).status).to.equal(200);
    await expectNoTransaction(async () => {
      const res = await post(`${f.service.url}/relay`, await save(3));
      expect(res.status).to.equal(429);
      expect(res.data.error.code).to.equal("RATE_LIMITED");
      const retryAfter = Number(res.headers["retry-after"]);
      expect(retryAfter).to.be.within(1, 3600);
    });
    // other actions and other signers have their own budgets
    const repost = await relayBody(f.fx, user, { userId: me, entityType: "Track", entityId: 3, action: "Repost", metadata: "" });
    expect((await post(`${f.service.url}/relay`, repost)).status).to.equal(200);
    const { userId: otherUser } = await createUser(f, f.fx.wallet(DEVNET_ROLES.users[1]));
    const other = await relayBody(f.fx, f.fx.wallet(DEVNET_ROLES.users[1]), { userId: otherUser, entityType: "Track", entityId: 3, action: "Save", metadata: "" });
    expect((await post(`${f.service.url}/relay`, other)).status).to.equal(200);
  });

  it("refuses an action the protocol does not have, which could never succeed, without sending", async () => {
    const odd = (action: string, entityType = "Track") => relayBody(f.fx, user, { userId: me, entityType, entityId: 1, action, metadata: "" });
    await expectNoTransaction(async () => {
      for (const body of [await odd("Dance"), await odd("Create", "Comment")]) {
        const res = await post(`${f.service.url}/relay`, body);
        expect(res.status).to.equal(400);
        expect(res.data.error.message).to.match(/is not an action of the protocol/);
      }
    });
  });

  it("recovers when a relayer's nonce moves outside the service (no stall on a gap)", async () => {
    const relayerKey = f.fx.wallet(DEVNET_ROLES.relayers[0]);
    // spend nonces of every relayer behind the pool's back
    for (const i of DEVNET_ROLES.relayers) {
      const w = f.fx.wallet(i);
      await (await w.sendTransaction({ to: w.address, value: 0 })).wait();
    }
    expect(relayerKey.address).to.equal(f.relayerAddresses[0]);
    for (let n = 0; n < 4; n++) {
      const body = await relayBody(f.fx, user, { userId: me, entityType: "User", entityId: 100 + n, action: "Follow", metadata: "" });
      const res = await post(`${f.service.url}/relay`, body);
      expect(res.status, JSON.stringify(res.data)).to.equal(200);
    }
  });

  it("logs a top-up warning when a relayer's balance is under the threshold", () => {
    expect(f.logs.some((l) => l.msg === "relayer balance low: top it up")).to.equal(true);
  });

  it("answers 503 JSON, not a hang, when every relayer is out of funds, and resumes after a top-up", async () => {
    const broke = Wallet.createRandom();
    const poor = await startIdentityFixture({ relayerPrivateKeys: [broke.privateKey] }, f.fx);
    try {
      await waitForUser(poor, me, await f.fx.provider.getBlockNumber());
      const body = await relayBody(f.fx, user, { userId: me, entityType: "User", entityId: 200, action: "Follow", metadata: "" });
      const block = await f.fx.provider.getBlockNumber();
      const started = Date.now();
      const res = await post(`${poor.service.url}/relay`, body);
      expect(Date.now() - started).to.be.below(10_000);
      expect(res.status).to.equal(503);
      expect(res.data.error.code).to.equal("NODE_UNAVAILABLE");
      expect(res.data.error.message).to.match(/top them up/);
      expect(await f.fx.provider.getBlockNumber()).to.equal(block);
      expect(poor.logs.some((l) => l.msg === "relayer out of funds")).to.equal(true);
      // a top-up brings the relayer back within seconds, and the refused action was not counted
      const funder = f.fx.wallet(DEVNET_ROLES.users[5]);
      await (await funder.sendTransaction({ to: broke.address, value: 10n ** 18n })).wait();
      // the pool re-reads an empty relayer's balance a moment later; until then it still refuses, and sends nothing
      let again = await post(`${poor.service.url}/relay`, body);
      for (let delay = 20; again.status === 503; delay = Math.min(delay * 2, 250)) {
        expect(again.data.error.code).to.equal("NODE_UNAVAILABLE");
        await new Promise((r) => setTimeout(r, delay));
        again = await post(`${poor.service.url}/relay`, body);
      }
      expect(again.status, JSON.stringify(again.data)).to.equal(200);
      const tx = await f.fx.provider.getTransaction(again.data.receipt.transactionHash);
      expect(tx!.from).to.equal(broke.address);
    } finally {
      await poor.close();
    }
  });

  it("answers 503 JSON, not a hang, when the data chain stops answering", async () => {
    const other = await startDataChain();
    const lonely = await startIdentityFixture({}, other);
    try {
      const { userId } = await createUser(lonely, user);
      const body = await relayBody(other, user, { userId, entityType: "User", entityId: 300, action: "Follow", metadata: "" });
      await other.close();
      const res = await post(`${lonely.service.url}/relay`, body);
      expect(res.status).to.equal(503);
      expect(res.data.error.code).to.equal("NODE_UNAVAILABLE");
      expect(res.data.error.message).to.match(/nothing was relayed/);
    } finally {
      await lonely.close();
    }
  });
});
