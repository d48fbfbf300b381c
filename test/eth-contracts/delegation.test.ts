import { expect } from "chai";
import type { Wallet } from "ethers";
import { signStakingPermit } from "../../devnet/deployEth";
import { AUDIO, eventsOf, expectGovernedRevert, expectRevert, mined, useEthFixture, type EthFixture } from "./fixture";

async function delegate(fx: EthFixture, delegator: Wallet, sp: Wallet, amount: bigint) {
  await fx.fund(delegator, amount);
  await mined(fx.as(delegator).token.approve(fx.contracts.staking, amount));
  return mined(fx.as(delegator).delegateManager.delegateStake(sp.address, amount));
}

describe("eth-contracts: DelegateManager", () => {
  const get = useEthFixture();
  const MIN = AUDIO(200_000);

  async function withNode(fx: EthFixture, stake = MIN) {
    const sp = fx.operators[0];
    await fx.register(sp, "content-node", "https://cn1.asix.test", stake);
    return sp;
  }

  describe("delegateStake", () => {
    it("adds a delegation to the operator's stake and lists the delegator", async () => {
      const fx = get();
      const sp = await withNode(fx);
      const [d1, d2] = fx.delegators;
      const receipt = await delegate(fx, d1, sp, AUDIO(1_000));
      const { delegateManager: dm, staking, token } = fx.as(d1);
      expect(eventsOf(receipt, dm.interface, "IncreaseDelegatedStake")[0].toArray()).to.deep.equal([d1.address, sp.address, AUDIO(1_000)]);
      await delegate(fx, d1, sp, AUDIO(500));
      await delegate(fx, d2, sp, AUDIO(100));
      expect(await dm.getDelegatorsList(sp.address)).to.deep.equal([d1.address, d2.address]);
      expect(await dm.getDelegatorStakeForServiceProvider(d1.address, sp.address)).to.equal(AUDIO(1_500));
      expect(await dm.getTotalDelegatorStake(d1.address)).to.equal(AUDIO(1_500));
      expect(await dm.getTotalDelegatedToServiceProvider(sp.address)).to.equal(AUDIO(1_600));
      expect(await staking.totalStakedFor(sp.address)).to.equal(MIN + AUDIO(1_600));
      expect(await token.balanceOf(d1.address)).to.equal(0n);
      // the operator's own stake is unchanged
      expect((await fx.as(sp).factory.getServiceProviderDetails(sp.address)).deployerStake).to.equal(MIN);
    });

    it("delegates in one call with a permit", async () => {
      const fx = get();
      const sp = await withNode(fx);
      const d = fx.delegators[0];
      await fx.fund(d, AUDIO(300));
      const permit = await signStakingPermit(d, fx.contracts, AUDIO(300));
      await mined(fx.as(d).delegateManager.delegateStakeWithPermit(sp.address, AUDIO(300), permit));
      expect(await fx.as(d).delegateManager.getDelegatorStakeForServiceProvider(d.address, sp.address)).to.equal(AUDIO(300));
      const bad = await signStakingPermit(d, fx.contracts, AUDIO(1));
      await expectRevert(fx.as(d).delegateManager.delegateStakeWithPermit(sp.address, AUDIO(5), bad), "PermitFailed", [d.address, 0n, AUDIO(5)]);
    });

    it("rejects a delegation under the minimum", async () => {
      const fx = get();
      const sp = await withNode(fx);
      const d = fx.delegators[0];
      await fx.fund(d, AUDIO(100));
      await mined(fx.as(d).token.approve(fx.contracts.staking, AUDIO(100)));
      await expectRevert(fx.as(d).delegateManager.delegateStake(sp.address, AUDIO(99)), "DelegationBelowMinimum", [AUDIO(99), AUDIO(100)]);
      await expectRevert(fx.as(d).delegateManager.delegateStake(sp.address, 0n), "ZeroAmount", []);
    });

    it("rejects a delegator above the operator's delegator limit", async () => {
      const fx = get();
      const sp = await withNode(fx);
      await fx.governed("delegateManager", "updateMaxDelegators(uint256)", ["uint256"], [2n]);
      const [d1, d2, d3] = fx.delegators;
      await delegate(fx, d1, sp, AUDIO(100));
      await delegate(fx, d2, sp, AUDIO(100));
      await fx.fund(d3, AUDIO(100));
      await mined(fx.as(d3).token.approve(fx.contracts.staking, AUDIO(100)));
      await expectRevert(fx.as(d3).delegateManager.delegateStake(sp.address, AUDIO(100)), "TooManyDelegators", [sp.address, 2n]);
      // an existing delegator can still add
      await delegate(fx, d1, sp, AUDIO(100));
    });

    it("rejects a delegation past the operator's maximum or to a non-operator", async () => {
      const fx = get();
      const sp = await withNode(fx, AUDIO(9_999_000));
      const d = fx.delegators[0];
      await fx.fund(d, AUDIO(2_000));
      await mined(fx.as(d).token.approve(fx.contracts.staking, AUDIO(2_000)));
      await expectRevert(fx.as(d).delegateManager.delegateStake(sp.address, AUDIO(2_000)), "StakeAboveMaximum", [
        AUDIO(10_001_000),
        AUDIO(10_000_000),
      ]);
      await expectRevert(fx.as(d).delegateManager.delegateStake(d.address, AUDIO(200)), "NotAServiceProvider", [d.address]);
    });
  });

  describe("undelegate", () => {
    it("returns the tokens only after the lockup", async () => {
      const fx = get();
      const sp = await withNode(fx);
      const d = fx.delegators[0];
      await delegate(fx, d, sp, AUDIO(1_000));
      const { delegateManager: dm, token, staking } = fx.as(d);
      await expectRevert(dm.undelegateStake(), "NoPendingUndelegate", [d.address]);
      await expectRevert(dm.requestUndelegateStake(sp.address, AUDIO(950)), "DelegationBelowMinimum", [AUDIO(50), AUDIO(100)]);
      await expectRevert(dm.requestUndelegateStake(sp.address, AUDIO(2_000)), "InsufficientStake", [d.address, AUDIO(1_000), AUDIO(2_000)]);
      await expectRevert(dm.requestUndelegateStake(fx.operators[1].address, AUDIO(1)), "NotADelegator", [fx.operators[1].address, d.address]);

      const req = await mined(dm.requestUndelegateStake(sp.address, AUDIO(400)));
      const expiry = BigInt(req.blockNumber) + fx.params.undelegateLockup;
      expect(eventsOf(req, dm.interface, "UndelegateStakeRequested")[0].toArray()).to.deep.equal([d.address, sp.address, AUDIO(400), expiry]);
      expect([...(await dm.getPendingUndelegateRequest(d.address))]).to.deep.equal([sp.address, AUDIO(400), expiry]);
      await expectRevert(dm.requestUndelegateStake(sp.address, AUDIO(100)), "UndelegateRequestPending", [d.address, sp.address, AUDIO(400)]);
      await expectRevert(dm.undelegateStake(), "LockupNotEnded", [expiry, BigInt(await fx.blockNumber()) + 1n]);

      await fx.mine(fx.params.undelegateLockup);
      const done = await mined(dm.undelegateStake());
      expect(eventsOf(done, dm.interface, "UndelegateStakeRequestEvaluated")[0].toArray()).to.deep.equal([d.address, sp.address, AUDIO(400)]);
      expect(await token.balanceOf(d.address)).to.equal(AUDIO(400));
      expect(await dm.getDelegatorStakeForServiceProvider(d.address, sp.address)).to.equal(AUDIO(600));
      expect(await staking.totalStakedFor(sp.address)).to.equal(MIN + AUDIO(600));

      // withdrawing everything drops the delegator from the list
      await mined(dm.requestUndelegateStake(sp.address, AUDIO(600)));
      await fx.mine(fx.params.undelegateLockup);
      await mined(dm.undelegateStake());
      expect(await dm.getDelegatorsList(sp.address)).to.deep.equal([]);
      expect(await dm.getTotalDelegatorStake(d.address)).to.equal(0n);
    });

    it("cancels an undelegation", async () => {
      const fx = get();
      const sp = await withNode(fx);
      const d = fx.delegators[0];
      await delegate(fx, d, sp, AUDIO(1_000));
      const { delegateManager: dm } = fx.as(d);
      await expectRevert(dm.cancelUndelegateStakeRequest(), "NoPendingUndelegate", [d.address]);
      await mined(dm.requestUndelegateStake(sp.address, AUDIO(400)));
      const receipt = await mined(dm.cancelUndelegateStakeRequest());
      expect(eventsOf(receipt, dm.interface, "UndelegateStakeRequestCancelled")[0].toArray()).to.deep.equal([d.address, sp.address, AUDIO(400)]);
      expect((await dm.getPendingUndelegateRequest(d.address)).lockupExpiryBlock).to.equal(0n);
    });
  });

  describe("removeDelegator", () => {
    it("lets the operator remove a delegator after the lockup, returning its delegation", async () => {
      const fx = get();
      const sp = await withNode(fx);
      const [d1, d2] = fx.delegators;
      await delegate(fx, d1, sp, AUDIO(700));
      await delegate(fx, d2, sp, AUDIO(300));
      await mined(fx.as(d1).delegateManager.requestUndelegateStake(sp.address, AUDIO(100)));
      const dm = fx.as(sp).delegateManager;
      await expectRevert(fx.as(d2).delegateManager.requestRemoveDelegator(sp.address, d1.address), "NotServiceProviderOwner", [
        sp.address,
        d2.address,
      ]);
      await expectRevert(dm.requestRemoveDelegator(sp.address, fx.delegators[3].address), "NotADelegator", [sp.address, fx.delegators[3].address]);
      await expectRevert(dm.removeDelegator(sp.address, d1.address), "NoPendingRemoveDelegator", [sp.address, d1.address]);

      const req = await mined(dm.requestRemoveDelegator(sp.address, d1.address));
      const expiry = BigInt(req.blockNumber) + fx.params.removeDelegatorLockup;
      expect(eventsOf(req, dm.interface, "RemoveDelegatorRequested")[0].toArray()).to.deep.equal([sp.address, d1.address, expiry]);
      expect(await dm.getPendingRemoveDelegatorRequest(sp.address, d1.address)).to.equal(expiry);
      await expectRevert(dm.requestRemoveDelegator(sp.address, d1.address), "RemoveDelegatorRequestPending", [sp.address, d1.address, expiry]);
      await expectRevert(dm.removeDelegator(sp.address, d1.address), "LockupNotEnded", [expiry, BigInt(await fx.blockNumber()) + 1n]);
      await fx.mine(fx.params.removeDelegatorLockup);
      const done = await mined(dm.removeDelegator(sp.address, d1.address));
      expect(eventsOf(done, dm.interface, "DelegatorRemoved")[0].toArray()).to.deep.equal([sp.address, d1.address, AUDIO(700)]);
      expect(await fx.as(d1).token.balanceOf(d1.address)).to.equal(AUDIO(700));
      expect(await dm.getDelegatorsList(sp.address)).to.deep.equal([d2.address]);
      // its pending undelegation went with it
      expect((await dm.getPendingUndelegateRequest(d1.address)).lockupExpiryBlock).to.equal(0n);
      expect(await fx.as(sp).staking.totalStakedFor(sp.address)).to.equal(MIN + AUDIO(300));
    });

    it("cancels a removal request", async () => {
      const fx = get();
      const sp = await withNode(fx);
      const d = fx.delegators[0];
      await delegate(fx, d, sp, AUDIO(700));
      const dm = fx.as(sp).delegateManager;
      await expectRevert(dm.cancelRemoveDelegatorRequest(sp.address, d.address), "NoPendingRemoveDelegator", [sp.address, d.address]);
      await mined(dm.requestRemoveDelegator(sp.address, d.address));
      const receipt = await mined(dm.cancelRemoveDelegatorRequest(sp.address, d.address));
      expect(eventsOf(receipt, dm.interface, "RemoveDelegatorRequestCancelled")).to.have.length(1);
      expect(await dm.getPendingRemoveDelegatorRequest(sp.address, d.address)).to.equal(0n);
    });
  });

  describe("slash", () => {
    it("rejects a slash by anyone but Governance", async () => {
      const fx = get();
      const sp = await withNode(fx);
      await expectRevert(fx.as(sp).delegateManager.slash(1n, sp.address), "NotGovernance", [sp.address]);
      await expectRevert(fx.as(fx.deployer).delegateManager.slash(1n, sp.address), "NotGovernance", [fx.deployer.address]);
    });

    it("takes stake pro rata from operator and delegators and sends it to the treasury", async () => {
      const fx = get();
      const sp = await withNode(fx, AUDIO(300_000));
      const [d1, d2] = fx.delegators;
      await delegate(fx, d1, sp, AUDIO(60_000));
      await delegate(fx, d2, sp, AUDIO(40_000));
      await mined(fx.as(d1).delegateManager.requestUndelegateStake(sp.address, AUDIO(60_000)));
      await mined(fx.as(sp).factory.requestDecreaseStake(AUDIO(100_000)));
      const { token, staking, delegateManager: dm, factory } = fx.as(fx.deployer);
      const supply = await token.totalSupply();

      // 40,000 of 400,000 total: everyone loses 10 %
      const receipt = await fx.passProposal([sp], "delegateManager", "slash(uint256,address)", ["uint256", "address"], [AUDIO(40_000), sp.address]);
      expect(eventsOf(receipt, dm.interface, "Slash")[0].toArray()).to.deep.equal([sp.address, AUDIO(40_000), AUDIO(360_000)]);
      expect(await staking.totalStakedFor(sp.address)).to.equal(AUDIO(360_000));
      expect((await factory.getServiceProviderDetails(sp.address)).deployerStake).to.equal(AUDIO(270_000));
      expect(await dm.getDelegatorStakeForServiceProvider(d1.address, sp.address)).to.equal(AUDIO(54_000));
      expect(await dm.getDelegatorStakeForServiceProvider(d2.address, sp.address)).to.equal(AUDIO(36_000));
      expect(await dm.getTotalDelegatedToServiceProvider(sp.address)).to.equal(AUDIO(90_000));
      // pending withdrawals shrink to what is left
      expect((await dm.getPendingUndelegateRequest(d1.address)).amount).to.equal(AUDIO(54_000));
      expect(await token.balanceOf(fx.contracts.governance)).to.equal(AUDIO(40_000));
      expect(await token.balanceOf(fx.contracts.staking)).to.equal(AUDIO(360_000));
      expect(await token.totalSupply()).to.equal(supply);
      expect((await factory.getPendingDecreaseStakeRequest(sp.address)).amount).to.equal(AUDIO(100_000));

      // a slash that leaves less than the pending decrease cuts the request down to the stake
      await fx.passProposal([sp], "delegateManager", "slash(uint256,address)", ["uint256", "address"], [AUDIO(240_000), sp.address]);
      const left = (await factory.getServiceProviderDetails(sp.address)).deployerStake;
      expect(left < AUDIO(100_000)).to.equal(true);
      expect((await factory.getPendingDecreaseStakeRequest(sp.address)).amount).to.equal(left);
      expect(await token.balanceOf(fx.contracts.governance)).to.equal(AUDIO(280_000));
      expect(await staking.totalStakedFor(sp.address)).to.equal(AUDIO(120_000));
    });

    it("rejects a slash larger than the stake", async () => {
      const fx = get();
      const sp = await withNode(fx);
      await expectRevert(
        fx.passProposal([sp], "delegateManager", "slash(uint256,address)", ["uint256", "address"], [MIN + 1n, sp.address]),
        "InsufficientStake",
        [sp.address, MIN, MIN + 1n],
      );
    });
  });

  describe("parameters", () => {
    it("changes lockups and limits only through Governance", async () => {
      const fx = get();
      const dm = fx.as(fx.deployer).delegateManager;
      const me = fx.deployer.address;
      await expectRevert(dm.updateUndelegateLockupDuration(1n), "NotGovernance", [me]);
      await expectRevert(dm.updateRemoveDelegatorLockupDuration(1n), "NotGovernance", [me]);
      await expectRevert(dm.updateMaxDelegators(1n), "NotGovernance", [me]);
      await expectRevert(dm.updateMinDelegationAmount(1n), "NotGovernance", [me]);
      const cases: [string, string, bigint, () => Promise<bigint>][] = [
        ["updateUndelegateLockupDuration(uint256)", "UndelegateLockupDurationUpdated", 16n, () => dm.undelegateLockupDuration()],
        ["updateRemoveDelegatorLockupDuration(uint256)", "RemoveDelegatorLockupDurationUpdated", 4n, () => dm.removeDelegatorLockupDuration()],
        ["updateMaxDelegators(uint256)", "MaxDelegatorsUpdated", 5n, () => dm.maxDelegators()],
        ["updateMinDelegationAmount(uint256)", "MinDelegationUpdated", 6n, () => dm.minDelegationAmount()],
      ];
      for (const [sig, event, value, read] of cases) {
        const receipt = await fx.governed("delegateManager", sig, ["uint256"], [value]);
        expect(eventsOf(receipt, dm.interface, event)[0].toArray()).to.deep.equal([value]);
        expect(await read()).to.equal(value);
      }
      // the undelegate lockup must outlast a proposal (voting period 10 + execution delay 5), and
      // the delegator list stays short enough for claimRewards and slash to walk
      await expectGovernedRevert(fx.governed("delegateManager", "updateUndelegateLockupDuration(uint256)", ["uint256"], [15n]), "LockupTooShort", [15n, 16n]);
      await expectGovernedRevert(fx.governed("delegateManager", "updateMaxDelegators(uint256)", ["uint256"], [176n]), "MaxDelegatorsTooHigh", [176n, 175n]);
    });
  });
});
