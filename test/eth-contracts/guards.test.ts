import { expect } from "chai";
import { AbiCoder, encodeBytes32String, ZeroAddress } from "ethers";
import { ETH_REGISTRY_KEYS } from "../../devnet/deployEth";
import { Governance__factory, Registry__factory, ServiceTypeManager__factory } from "../../typechain-types";
import { AUDIO, CONTENT, eventsOf, expectGovernedRevert, expectRevert, mined, useEthFixture } from "./fixture";

// Refusals at the edges of the eth contracts: zero addresses, unknown keys and types, requests
// that a parameter change overtook, and an operator that no longer earns.
const abi = AbiCoder.defaultAbiCoder();
const Vote = { Yes: 2n } as const;
const Outcome = { Vetoed: 4n, ApprovedExecutionFailed: 5n } as const;
const UNKNOWN = encodeBytes32String("NoSuchContract");

describe("eth-contracts: guards at the edges", () => {
  const get = useEthFixture();

  it("refuses to deploy a contract without a governance or a guardian, or with a quorum outside 1..100", async () => {
    const fx = get();
    await expectRevert(new Registry__factory(fx.deployer).deploy(ZeroAddress), "ZeroAddress", []);
    const governance = new Governance__factory(fx.deployer);
    await expectRevert(governance.deploy(fx.contracts.registry, ZeroAddress, 10n, 5n, 5n), "ZeroAddress", []);
    await expectRevert(governance.deploy(fx.contracts.registry, fx.deployer.address, 10n, 5n, 0n), "InvalidQuorumPercent", [0n]);
    await expectRevert(governance.deploy(fx.contracts.registry, fx.deployer.address, 10n, 5n, 101n), "InvalidQuorumPercent", [101n]);
  });

  it("refuses the zero address as a Registry entry, a governance offer or a new guardian", async () => {
    const fx = get();
    const registry = await new Registry__factory(fx.deployer).deploy(fx.deployer.address);
    await registry.waitForDeployment();
    const key = encodeBytes32String("Thing");
    await expectRevert(registry.addContract(key, ZeroAddress), "ZeroAddress", []);
    await mined(registry.addContract(key, fx.contracts.token));
    await expectRevert(registry.upgradeContract(key, ZeroAddress), "ZeroAddress", []);
    expect(await registry.getContract(key)).to.equal(fx.contracts.token);
    await expectRevert(registry.setGovernanceAddress(ZeroAddress), "ZeroAddress", []);
    expect(await registry.pendingGovernance()).to.equal(ZeroAddress);

    const governance = fx.as(fx.deployer).governance;
    await expectRevert(governance.transferGuardianship(ZeroAddress), "ZeroAddress", []);
    expect(await governance.guardian()).to.equal(fx.deployer.address);
  });

  it("refuses to change an unknown service type or to give one bounds no stake can meet", async () => {
    const fx = get();
    const types = await new ServiceTypeManager__factory(fx.deployer).deploy(fx.deployer.address);
    await types.waitForDeployment();
    const known = encodeBytes32String("known-node");
    const unknown = encodeBytes32String("unknown-node");
    await mined(types.addServiceType(known, AUDIO(10), AUDIO(100)));
    await expectRevert(types.updateServiceType(unknown, AUDIO(10), AUDIO(100)), "InvalidServiceType", [unknown]);
    await expectRevert(types.updateServiceType(known, 0n, AUDIO(100)), "InvalidStakeBounds", [0n, AUDIO(100)]);
    await expectRevert(types.updateServiceType(known, AUDIO(101), AUDIO(100)), "InvalidStakeBounds", [AUDIO(101), AUDIO(100)]);
    await expectRevert(types.setServiceVersion(unknown, encodeBytes32String("1.0.0")), "InvalidServiceType", [unknown]);
    expect(await types.getServiceTypeInfo(known)).to.deep.equal([true, AUDIO(10), AUDIO(100)]);
  });

  it("reports no current version before the first, and keeps the newest current when an older one is removed", async () => {
    const fx = get();
    const types = await new ServiceTypeManager__factory(fx.deployer).deploy(fx.deployer.address);
    await types.waitForDeployment();
    const t = encodeBytes32String("known-node");
    const [v1, v2, v3] = ["1.0.0", "1.1.0", "2.0.0"].map(encodeBytes32String);
    await mined(types.addServiceType(t, AUDIO(10), AUDIO(100)));
    expect(await types.getCurrentVersion(t)).to.equal(encodeBytes32String(""));
    for (const v of [v1, v2, v3]) await mined(types.setServiceVersion(t, v));
    await mined(types.removeServiceVersion(t, v1));
    expect(await types.getNumberOfVersions(t)).to.equal(2n);
    expect([await types.getVersion(t, 0n), await types.getVersion(t, 1n)]).to.deep.equal([v2, v3]);
    expect(await types.getCurrentVersion(t)).to.equal(v3);
    expect(await types.serviceVersionIsValid(t, v1)).to.equal(false);
  });

  it("refuses guardian calls and governance hand-offs to unregistered contracts, calls without a function, and unknown proposals", async () => {
    const fx = get();
    const governance = fx.as(fx.deployer).governance;
    await expectRevert(governance.guardianExecuteTransaction(UNKNOWN, 0n, "updateFundingAmount(uint256)", abi.encode(["uint256"], [1n])), "InvalidTargetContract", [UNKNOWN]);
    await expectRevert(governance.guardianExecuteTransaction(ETH_REGISTRY_KEYS.claimsManager, 0n, "", "0x"), "EmptyFunctionSignature", []);
    await expectRevert(governance.acceptGovernanceOf(UNKNOWN), "InvalidTargetContract", [UNKNOWN]);
    await expectRevert(governance.getProposalById(0n), "ProposalNotFound", [0n]);
    const next = (await governance.lastProposalId()) + 1n;
    await expectRevert(governance.getProposalById(next), "ProposalNotFound", [next]);
  });

  it("lets the guardian veto a proposal whose call failed, which ends its retries", async () => {
    const fx = get();
    const [voter] = fx.operators;
    await fx.register(voter, "content-node", "https://cn1.asix.test", AUDIO(9_000_000));
    const gov = fx.as(voter).governance;
    const submitted = await mined(
      gov.submitProposal(ETH_REGISTRY_KEYS.governance, 0n, "updateQuorumPercent(uint256)", abi.encode(["uint256"], [0n]), "Bad", "quorum 0"),
    );
    const id = eventsOf(submitted, gov.interface, "ProposalSubmitted")[0].proposalId as bigint;
    await mined(gov.submitVote(id, Vote.Yes));
    await fx.mine(fx.params.votingPeriod + fx.params.executionDelay);
    await mined(gov.evaluateProposalOutcome(id));
    expect((await gov.getProposalById(id)).outcome).to.equal(Outcome.ApprovedExecutionFailed);

    await expectRevert(gov.vetoProposal(id), "NotGuardian", [voter.address]);
    const vetoed = await mined(fx.as(fx.deployer).governance.vetoProposal(id));
    expect(eventsOf(vetoed, gov.interface, "ProposalVetoed")[0].proposalId).to.equal(id);
    expect((await gov.getProposalById(id)).outcome).to.equal(Outcome.Vetoed);
    await expectRevert(gov.evaluateProposalOutcome(id), "ProposalNotInProgress", [id, Outcome.Vetoed]);
  });

  it("bounds the voting period by the shorter of the two withdrawal lockups", async () => {
    const fx = get();
    const { votingPeriod, executionDelay, decreaseStakeLockup } = fx.params;
    // the undelegation lockup becomes the shorter one
    const undelegate = decreaseStakeLockup - 2n;
    await fx.governed("delegateManager", "updateUndelegateLockupDuration(uint256)", ["uint256"], [undelegate]);
    const tooLong = undelegate - executionDelay;
    const governance = fx.as(fx.deployer).governance;
    const call = governance.guardianExecuteTransaction(ETH_REGISTRY_KEYS.governance, 0n, "updateVotingPeriod(uint256)", abi.encode(["uint256"], [tooLong]));
    await expectGovernedRevert(call, "LockupTooShort", [undelegate, tooLong + executionDelay + 1n]);
    expect(await governance.votingPeriod()).to.equal(votingPeriod);
    await fx.governed("governance", "updateVotingPeriod(uint256)", ["uint256"], [tooLong - 1n]);
    expect(await governance.votingPeriod()).to.equal(tooLong - 1n);
  });

  it("refuses another account's removal of a delegator and its cancellation", async () => {
    const fx = get();
    const [sp, other] = fx.operators;
    const [d] = fx.delegators;
    await fx.register(sp, "content-node", "https://cn1.asix.test", AUDIO(300_000));
    const dm = fx.as(other).delegateManager;
    await expectRevert(dm.cancelRemoveDelegatorRequest(sp.address, d.address), "NotServiceProviderOwner", [sp.address, other.address]);
    await expectRevert(dm.removeDelegator(sp.address, d.address), "NotServiceProviderOwner", [sp.address, other.address]);
  });

  it("refuses a matured decrease that would leave the stake under a minimum raised meanwhile", async () => {
    const fx = get();
    const [sp] = fx.operators;
    const { staking, serviceTypeManager } = fx.as(sp);
    const [, , max] = await serviceTypeManager.getServiceTypeInfo(CONTENT);
    await fx.register(sp, "content-node", "https://cn1.asix.test", AUDIO(300_000));
    await mined(fx.as(sp).factory.requestDecreaseStake(AUDIO(100_000)));
    await fx.governed("serviceTypeManager", "updateServiceType(bytes32,uint256,uint256)", ["bytes32", "uint256", "uint256"], [CONTENT, AUDIO(250_000), max]);
    await fx.mine(fx.params.decreaseStakeLockup);
    await expectRevert(fx.as(sp).factory.decreaseStake(), "StakeBelowMinimum", [AUDIO(200_000), AUDIO(250_000)]);
    expect(await staking.totalStakedFor(sp.address)).to.equal(AUDIO(300_000));
  });

  it("snapshots no block before the first round, then the block before each round", async () => {
    const fx = get();
    const cm = fx.as(fx.delegators[0]).claimsManager;
    expect(await cm.roundSnapshotBlock()).to.equal(0n);
    const receipt = await mined(cm.initiateRound());
    expect(await cm.roundSnapshotBlock()).to.equal(BigInt(receipt.blockNumber) - 1n);
  });

  it("pays nothing to an operator that deregistered, its whole stake queued for withdrawal", async () => {
    const fx = get();
    const [sp, earner] = fx.operators;
    await fx.register(sp, "content-node", "https://cn1.asix.test", AUDIO(300_000));
    await fx.register(earner, "content-node", "https://cn2.asix.test", AUDIO(300_000));
    await mined(fx.as(sp).factory.deregister(CONTENT, "https://cn1.asix.test"));
    const { claimsManager: cm, delegateManager: dm, staking, token } = fx.as(fx.delegators[0]);
    await mined(cm.initiateRound());
    expect(await cm.claimPending(sp.address)).to.equal(true);
    expect(await cm.getClaimableReward(sp.address)).to.equal(0n);
    const supply = await token.balanceOf(fx.contracts.staking);
    const receipt = await mined(dm.claimRewards(sp.address));
    expect(eventsOf(receipt, dm.interface, "RewardsClaimed")[0].toArray()).to.deep.equal([sp.address, 0n, 0n, 0n]);
    expect(await staking.totalStakedFor(sp.address)).to.equal(AUDIO(300_000));
    expect(await token.balanceOf(fx.contracts.staking)).to.equal(supply);
    expect(await cm.claimPending(sp.address)).to.equal(false);
    // The one that stayed is paid its share of all stake at the snapshot, queued stake included
    // in the total: the departing operator's share is not handed to the others.
    expect(await cm.getClaimableReward(earner.address)).to.equal(fx.params.fundingAmount / 2n);
  });
});
