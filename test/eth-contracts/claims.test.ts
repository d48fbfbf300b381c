import { expect } from "chai";
import type { Wallet } from "ethers";
import { AUDIO, CONTENT, DISCOVERY, eventsOf, expectRevert, mined, useEthFixture, type EthFixture } from "./fixture";

async function delegate(fx: EthFixture, delegator: Wallet, sp: Wallet, amount: bigint) {
  await fx.fund(delegator, amount);
  await mined(fx.as(delegator).token.approve(fx.contracts.staking, amount));
  return mined(fx.as(delegator).delegateManager.delegateStake(sp.address, amount));
}

describe("eth-contracts: ClaimsManager and reward claims", () => {
  const get = useEthFixture();
  const FUNDING = AUDIO(10_000);

  it("rejects a claim when no round has started", async () => {
    const fx = get();
    const sp = fx.operators[0];
    await fx.register(sp, "content-node", "https://cn1.asix.test", AUDIO(200_000));
    await expectRevert(fx.as(sp).delegateManager.claimRewards(sp.address), "NoActiveRound", []);
    expect(await fx.as(sp).claimsManager.claimPending(sp.address)).to.equal(false);
  });

  it("mints the funding at each round, at most once per interval", async () => {
    const fx = get();
    const { claimsManager: cm, token } = fx.as(fx.delegators[0]);
    const supply = await token.totalSupply();
    const receipt = await mined(cm.initiateRound());
    expect(eventsOf(receipt, cm.interface, "RoundInitiated")[0].toArray()).to.deep.equal([1n, BigInt(receipt.blockNumber), FUNDING]);
    expect(await token.totalSupply()).to.equal(supply + FUNDING);
    expect(await token.balanceOf(fx.contracts.claimsManager)).to.equal(FUNDING);
    expect(await cm.roundNumber()).to.equal(1n);
    expect(await cm.lastFundedBlock()).to.equal(BigInt(receipt.blockNumber));
    expect(await cm.totalMinted()).to.equal(FUNDING);

    const next = BigInt(receipt.blockNumber) + fx.params.fundingRoundBlocks;
    await expectRevert(cm.initiateRound(), "RoundTooSoon", [next, BigInt(await fx.blockNumber()) + 1n]);
    await fx.mine(next - BigInt(await fx.blockNumber()) - 1n);
    await mined(cm.initiateRound());
    expect(await cm.roundNumber()).to.equal(2n);
    expect(await token.totalSupply()).to.equal(supply + 2n * FUNDING);
  });

  it("splits a round's reward: delegators pro rata minus the deployer cut, the operator the rest", async () => {
    const fx = get();
    const sp = fx.operators[0];
    const [d1, d2] = fx.delegators;
    await fx.register(sp, "content-node", "https://cn1.asix.test", AUDIO(300_000));
    await mined(fx.as(sp).factory.requestUpdateDeployerCut(10n));
    await fx.mine(fx.params.deployerCutLockup);
    await mined(fx.as(sp).factory.updateDeployerCut());
    await delegate(fx, d1, sp, AUDIO(60_000));
    await delegate(fx, d2, sp, AUDIO(40_000));
    const { claimsManager: cm, delegateManager: dm, factory, staking, token } = fx.as(d2);

    await mined(cm.initiateRound());
    expect(await cm.claimPending(sp.address)).to.equal(true);
    expect(await cm.getClaimableReward(sp.address)).to.equal(FUNDING);
    // anyone may trigger the claim
    const receipt = await mined(dm.claimRewards(sp.address));
    // d1: 10,000 * 60/400 = 1,500, keeps 90 % = 1,350; d2: 1,000 -> 900; operator: 10,000 - 2,250
    expect(eventsOf(receipt, dm.interface, "RewardsClaimed")[0].toArray()).to.deep.equal([
      sp.address,
      FUNDING,
      AUDIO(7_750),
      AUDIO(2_250),
    ]);
    expect(eventsOf(receipt, cm.interface, "ClaimProcessed")[0].toArray()).to.deep.equal([
      sp.address,
      1n,
      FUNDING,
      AUDIO(400_000),
      AUDIO(410_000),
    ]);
    expect(await dm.getDelegatorStakeForServiceProvider(d1.address, sp.address)).to.equal(AUDIO(61_350));
    expect(await dm.getDelegatorStakeForServiceProvider(d2.address, sp.address)).to.equal(AUDIO(40_900));
    expect(await dm.getTotalDelegatedToServiceProvider(sp.address)).to.equal(AUDIO(102_250));
    expect((await factory.getServiceProviderDetails(sp.address)).deployerStake).to.equal(AUDIO(307_750));
    expect(await staking.totalStakedFor(sp.address)).to.equal(AUDIO(410_000));
    expect(await token.balanceOf(fx.contracts.staking)).to.equal(AUDIO(410_000));
    expect(await token.balanceOf(fx.contracts.claimsManager)).to.equal(0n);
    expect(await cm.totalClaimedInRound()).to.equal(FUNDING);
    expect(await cm.getLastClaimedRound(sp.address)).to.equal(1n);
    expect(await cm.claimPending(sp.address)).to.equal(false);
    await expectRevert(dm.claimRewards(sp.address), "NoClaimPending", [sp.address, 1n]);
  });

  it("shares a round between operators in proportion to their stake at the round's start", async () => {
    const fx = get();
    const [a, b, late] = fx.operators;
    await fx.register(a, "content-node", "https://cn1.asix.test", AUDIO(200_000));
    await fx.register(b, "discovery-node", "https://dn1.asix.test", AUDIO(600_000));
    const { claimsManager: cm, delegateManager: dm, staking } = fx.as(late);
    await mined(cm.initiateRound());
    // registered after the round started: nothing pending, free to change stake
    await fx.register(late, "content-node", "https://cn3.asix.test", AUDIO(200_000));
    expect(await cm.claimPending(late.address)).to.equal(false);
    await expectRevert(dm.claimRewards(late.address), "NoClaimPending", [late.address, 1n]);

    await mined(dm.claimRewards(a.address));
    await mined(dm.claimRewards(b.address));
    expect(await staking.totalStakedFor(a.address)).to.equal(AUDIO(202_500));
    expect(await staking.totalStakedFor(b.address)).to.equal(AUDIO(607_500));

    // a reward not claimed before the next round stays in the ClaimsManager
    await fx.mine(fx.params.fundingRoundBlocks);
    await mined(cm.initiateRound());
    await fx.mine(fx.params.fundingRoundBlocks);
    await mined(cm.initiateRound());
    expect(await cm.totalClaimedInRound()).to.equal(0n);
    expect(await fx.as(late).token.balanceOf(fx.contracts.claimsManager)).to.equal(3n * FUNDING - FUNDING);
  });

  it("blocks stake changes while the operator's claim is pending", async () => {
    const fx = get();
    const sp = fx.operators[0];
    const d = fx.delegators[0];
    await fx.register(sp, "content-node", "https://cn1.asix.test", AUDIO(300_000));
    await delegate(fx, d, sp, AUDIO(1_000));
    await fx.fund(sp, AUDIO(200_000));
    await mined(fx.as(sp).token.approve(fx.contracts.staking, AUDIO(200_000)));
    await fx.fund(d, AUDIO(1_000));
    await mined(fx.as(d).token.approve(fx.contracts.staking, AUDIO(1_000)));
    await mined(fx.as(sp).claimsManager.initiateRound());

    const { factory } = fx.as(sp);
    const { delegateManager: dm } = fx.as(d);
    await expectRevert(factory.increaseStake(AUDIO(1)), "ClaimPending", [sp.address]);
    await expectRevert(factory.requestDecreaseStake(AUDIO(1)), "ClaimPending", [sp.address]);
    await expectRevert(factory.register(DISCOVERY, "https://dn.asix.test", AUDIO(200_000), sp.address), "ClaimPending", [sp.address]);
    await expectRevert(factory.deregister(CONTENT, "https://cn1.asix.test"), "ClaimPending", [sp.address]);
    await expectRevert(dm.delegateStake(sp.address, AUDIO(1_000)), "ClaimPending", [sp.address]);
    await expectRevert(dm.requestUndelegateStake(sp.address, AUDIO(1_000)), "ClaimPending", [sp.address]);
    await expectRevert(
      fx.passProposal([sp], "delegateManager", "slash(uint256,address)", ["uint256", "address"], [AUDIO(1), sp.address]),
      "ClaimPending",
      [sp.address],
    );

    await mined(dm.claimRewards(sp.address));
    await mined(factory.increaseStake(AUDIO(1)));
    await mined(dm.delegateStake(sp.address, AUDIO(1_000)));
    await mined(dm.requestUndelegateStake(sp.address, AUDIO(500)));
  });

  it("blocks a matured decrease or undelegation until the claim is made", async () => {
    const fx = get();
    const sp = fx.operators[0];
    const d = fx.delegators[0];
    await fx.register(sp, "content-node", "https://cn1.asix.test", AUDIO(300_000));
    await delegate(fx, d, sp, AUDIO(1_000));
    await mined(fx.as(sp).factory.requestDecreaseStake(AUDIO(50_000)));
    await mined(fx.as(d).delegateManager.requestUndelegateStake(sp.address, AUDIO(1_000)));
    await fx.mine(fx.params.decreaseStakeLockup);
    await mined(fx.as(d).claimsManager.initiateRound());
    await expectRevert(fx.as(sp).factory.decreaseStake(), "ClaimPending", [sp.address]);
    await expectRevert(fx.as(d).delegateManager.undelegateStake(), "ClaimPending", [sp.address]);
    await mined(fx.as(d).delegateManager.claimRewards(sp.address));
    await mined(fx.as(sp).factory.decreaseStake());
    await mined(fx.as(d).delegateManager.undelegateStake());
    // stake queued for withdrawal earns nothing: the delegator leaves with its 1,000 and no reward
    expect(await fx.as(d).delegateManager.getDelegatorStakeForServiceProvider(d.address, sp.address)).to.equal(0n);
    expect(await fx.as(d).token.balanceOf(d.address)).to.equal(AUDIO(1_000));
  });

  it("lets only DelegateManager process a claim and Governance change the rounds", async () => {
    const fx = get();
    const { claimsManager: cm } = fx.as(fx.deployer);
    const me = fx.deployer.address;
    await expectRevert(cm.processClaim(me), "CallerNotAllowed", [me]);
    await expectRevert(cm.updateFundingAmount(1n), "NotGovernance", [me]);
    await expectRevert(cm.updateFundingRoundBlockDiff(1n), "NotGovernance", [me]);
    const a = await fx.governed("claimsManager", "updateFundingAmount(uint256)", ["uint256"], [AUDIO(5)]);
    expect(eventsOf(a, cm.interface, "FundingAmountUpdated")[0].toArray()).to.deep.equal([AUDIO(5)]);
    const b = await fx.governed("claimsManager", "updateFundingRoundBlockDiff(uint256)", ["uint256"], [3n]);
    expect(eventsOf(b, cm.interface, "FundingRoundBlockDiffUpdated")[0].toArray()).to.deep.equal([3n]);
    expect(await cm.fundingAmount()).to.equal(AUDIO(5));
    expect(await cm.fundingRoundBlockDiff()).to.equal(3n);
  });
});
