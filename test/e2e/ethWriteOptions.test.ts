import { expect } from "chai";
import { JsonRpcProvider, parseEther } from "ethers";
import { createAsix } from "../../sdk";
import type { Devnet } from "../../devnet";
import { startTestDevnet } from "../helpers/devnet";
import { rejection } from "../helpers/errors";

const AUDIO = (n: number) => parseEther(String(n));

/**
 * Staking and governance writes and users.verify take `{ signal, timeoutMs }` like the data-chain
 * writes: on the real devnet, with the eth chain's automine switched off so that a sent
 * transaction stays pending for as long as the test needs.
 */
describe("eth-chain writes and users.verify: signal and timeoutMs on the devnet", function () {
  this.timeout(120_000);
  let devnet: Devnet;
  let provider: JsonRpcProvider;
  const asixOf = (i: number) => createAsix({ network: devnet, wallet: devnet.accounts[i].privateKey });
  const setAutomine = (on: boolean) => provider.send("evm_setAutomine", [on]);
  const nonce = (address: string, tag: "latest" | "pending") => provider.getTransactionCount(address, tag);

  /** Resolves once `address` has a transaction waiting in the pool (a condition, polled on the chain). */
  async function pendingFrom(address: string, confirmed: number): Promise<void> {
    while ((await nonce(address, "pending")) === confirmed) await new Promise((r) => setImmediate(r));
  }

  before(async () => {
    devnet = await startTestDevnet({ contentNodes: 1, logs: false });
    provider = new JsonRpcProvider(devnet.ethChain.url, devnet.ethChain.chainId, { staticNetwork: true, cacheTimeout: -1 });
  });

  afterEach(async () => {
    await setAutomine(true);
    await provider.send("evm_mine", []);
  });

  after(async () => {
    provider?.destroy();
    await devnet?.stop();
  });

  it("gives ABORTED when a staking transfer is aborted while it waits for its receipt, and sends it once", async () => {
    const treasury = asixOf(0);
    const sender = devnet.accounts[0].address;
    const recipient = devnet.accounts[19].address;
    const before = await treasury.staking.balanceOf(recipient);
    await setAutomine(false);
    const confirmed = await nonce(sender, "latest");
    const controller = new AbortController();
    const transfer = treasury.staking.transfer(recipient, AUDIO(3), { signal: controller.signal });
    await pendingFrom(sender, confirmed);
    controller.abort();
    const e = await rejection(transfer);
    expect(e.code).to.equal("ABORTED");
    // the transaction already sent is not recalled, and never sent again: one nonce, one transfer
    await setAutomine(true);
    await provider.send("evm_mine", []);
    expect(await nonce(sender, "latest")).to.equal(confirmed + 1);
    expect(await treasury.staking.balanceOf(recipient)).to.equal(before + AUDIO(3));
  });

  it("never sends a staking write aborted while it waited behind the wallet's previous one", async () => {
    const treasury = asixOf(0);
    const sender = devnet.accounts[0].address;
    const recipient = devnet.accounts[18].address;
    const before = await treasury.staking.balanceOf(recipient);
    await setAutomine(false);
    const confirmed = await nonce(sender, "latest");
    const first = treasury.staking.transfer(recipient, AUDIO(1));
    await pendingFrom(sender, confirmed);
    const controller = new AbortController();
    const second = treasury.staking.transfer(recipient, AUDIO(2), { signal: controller.signal });
    // one turn of the event loop: the second write's promise chain (no I/O) has queued it behind the first
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect((await rejection(second)).code).to.equal("ABORTED");
    await setAutomine(true);
    await provider.send("evm_mine", []);
    await first;
    // a third write queues behind whatever the aborted one became, so once it is in, that is settled
    await treasury.staking.transfer(recipient, AUDIO(4));
    expect(await nonce(sender, "latest")).to.equal(confirmed + 2);
    expect(await treasury.staking.balanceOf(recipient)).to.equal(before + AUDIO(5));
  });

  it("sends nothing for a staking write whose signal fired before the call", async () => {
    const treasury = asixOf(0);
    const sender = devnet.accounts[0].address;
    const confirmed = await nonce(sender, "pending");
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(treasury.staking.transfer(devnet.accounts[19].address, AUDIO(1), { signal: controller.signal }))).code).to.equal("ABORTED");
    expect((await rejection(treasury.staking.requestDecreaseStake(AUDIO(1), { signal: controller.signal }))).code).to.equal("ABORTED");
    expect(await nonce(sender, "pending")).to.equal(confirmed);
  });

  it("refuses a negative timeoutMs on a staking write with INVALID_INPUT", async () => {
    const e = await rejection(asixOf(0).staking.initiateRound({ timeoutMs: -1 }));
    expect(e.code).to.equal("INVALID_INPUT");
  });

  it("gives TIMEOUT when a governance proposal's receipt does not come within timeoutMs, and submits it once", async () => {
    // the discovery node's operator has had stake since deployment, so it may propose
    const staker = asixOf(5);
    const proposer = devnet.accounts[5].address;
    const before = (await staker.governance.list()).length;
    await setAutomine(false);
    const confirmed = await nonce(proposer, "latest");
    const started = Date.now();
    const proposal = staker.governance.propose({
      target: "ClaimsManager",
      functionSignature: "updateFundingAmount(uint256)",
      args: [AUDIO(1)],
      name: "Timed out",
      description: "sent while nothing mines",
      timeoutMs: 1_500,
    });
    const e = await rejection(proposal);
    expect(e.code).to.equal("TIMEOUT");
    expect(Date.now() - started).to.be.below(10_000);
    expect(await nonce(proposer, "pending")).to.equal(confirmed + 1);
    await setAutomine(true);
    await provider.send("evm_mine", []);
    const after = await staker.governance.list();
    expect(after).to.have.length(before + 1);
    expect(after[after.length - 1]).to.include({ name: "Timed out", proposer });
  });

  it("gives ABORTED and TIMEOUT for users.verify, and verifies when given the time", async () => {
    const fan = asixOf(12);
    await fan.users.create({ handle: "verify_options" });
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(fan.users.verify({ loginHint: "devnet-artist", signal: controller.signal }))).code).to.equal("ABORTED");
    expect((await rejection(fan.users.verify({ loginHint: "devnet-artist", timeoutMs: 1 }))).code).to.equal("TIMEOUT");
    const verified = await fan.users.verify({ loginHint: "devnet-artist", timeoutMs: 60_000 });
    expect(verified.providerSubject).to.be.a("string").and.not.equal("");
    expect((await fan.users.get(await fan.whoami())).isVerified).to.equal(true);
  });
});
