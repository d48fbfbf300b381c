import { expect } from "chai";
import { AbiCoder, encodeBytes32String, ZeroAddress } from "ethers";
import { ETH_REGISTRY_KEYS } from "../../devnet/deployEth";
import { AUDIO, eventsOf, expectGovernedRevert, expectRevert, mined, useEthFixture, type EthFixture } from "./fixture";

const Vote = { None: 0n, No: 1n, Yes: 2n } as const;
const Outcome = { InProgress: 0n, Rejected: 1n, ApprovedExecuted: 2n, QuorumNotMet: 3n, Vetoed: 4n, ApprovedExecutionFailed: 5n } as const;
const abi = AbiCoder.defaultAbiCoder();

describe("eth-contracts: Governance", () => {
  const get = useEthFixture();

  /** A big staker (9,000,000) and a small one (200,000: under the 5 % quorum alone). */
  async function stakers(fx: EthFixture) {
    const [big, small] = fx.operators;
    await fx.register(big, "content-node", "https://cn1.asix.test", AUDIO(9_000_000));
    await fx.register(small, "discovery-node", "https://dn1.asix.test", AUDIO(200_000));
    return { big, small };
  }

  async function propose(fx: EthFixture, proposer: typeof fx.deployer, amount = AUDIO(123)) {
    const gov = fx.as(proposer).governance;
    const receipt = await mined(
      gov.submitProposal(
        ETH_REGISTRY_KEYS.claimsManager,
        0n,
        "updateFundingAmount(uint256)",
        abi.encode(["uint256"], [amount]),
        "Smaller rounds",
        "Mint 123 AUDIO per round",
      ),
    );
    const [event] = eventsOf(receipt, gov.interface, "ProposalSubmitted");
    return { id: event.proposalId as bigint, block: BigInt(receipt.blockNumber), receipt };
  }

  it("runs an approved proposal's call after the voting period and the execution delay", async () => {
    const fx = get();
    const { big, small } = await stakers(fx);
    const { id, block, receipt } = await propose(fx, big);
    const gov = fx.as(big).governance;
    expect(eventsOf(receipt, gov.interface, "ProposalSubmitted")[0].toArray()).to.deep.equal([
      1n,
      big.address,
      "Smaller rounds",
      "Mint 123 AUDIO per round",
    ]);
    const vote = await mined(gov.submitVote(id, Vote.Yes));
    expect(eventsOf(vote, gov.interface, "ProposalVoteSubmitted")[0].toArray()).to.deep.equal([id, big.address, Vote.Yes, AUDIO(9_000_000)]);
    await mined(fx.as(small).governance.submitVote(id, Vote.No));
    expect(await gov.getVoteInfoByProposalAndVoter(id, small.address)).to.equal(Vote.No);

    const earliest = block + fx.params.votingPeriod + fx.params.executionDelay;
    await expectRevert(gov.evaluateProposalOutcome(id), "EvaluationTooEarly", [id, earliest, BigInt(await fx.blockNumber()) + 1n]);
    await fx.mine(earliest - BigInt(await fx.blockNumber()) - 1n);
    const done = await mined(fx.as(fx.delegators[0]).governance.evaluateProposalOutcome(id));
    expect(eventsOf(done, gov.interface, "ProposalTransactionExecuted")[0].success).to.equal(true);
    expect(eventsOf(done, gov.interface, "ProposalOutcomeEvaluated")[0].toArray()).to.deep.equal([
      id,
      Outcome.ApprovedExecuted,
      AUDIO(9_000_000),
      AUDIO(200_000),
      2n,
    ]);
    expect(await fx.as(big).claimsManager.fundingAmount()).to.equal(AUDIO(123));
    const proposal = await gov.getProposalById(id);
    expect([proposal.proposer, proposal.submissionBlockNumber, proposal.targetContractAddress, proposal.functionSignature, proposal.outcome]).to.deep.equal([
      big.address,
      block,
      fx.contracts.claimsManager,
      "updateFundingAmount(uint256)",
      Outcome.ApprovedExecuted,
    ]);
    await expectRevert(gov.evaluateProposalOutcome(id), "ProposalNotInProgress", [id, Outcome.ApprovedExecuted]);
  });

  it("rejects a vote by a non-staker, a double vote, a None vote and a late vote", async () => {
    const fx = get();
    const { big, small } = await stakers(fx);
    const { id, block } = await propose(fx, big);
    const outsider = fx.delegators[0];
    await expectRevert(fx.as(outsider).governance.submitVote(id, Vote.Yes), "NotAStaker", [outsider.address]);
    await mined(fx.as(big).governance.submitVote(id, Vote.Yes));
    await expectRevert(fx.as(big).governance.submitVote(id, Vote.No), "AlreadyVoted", [id, big.address]);
    await expectRevert(fx.as(small).governance.submitVote(id, Vote.None), "InvalidVote", []);
    await expectRevert(fx.as(small).governance.submitVote(99n, Vote.Yes), "ProposalNotFound", [99n]);
    await fx.mine(fx.params.votingPeriod);
    await expectRevert(fx.as(small).governance.submitVote(id, Vote.Yes), "VotingPeriodEnded", [id, block + fx.params.votingPeriod]);
  });

  it("weighs a vote by the stake at the proposal's block", async () => {
    const fx = get();
    const { big, small } = await stakers(fx);
    const { id } = await propose(fx, big);
    await fx.fund(small, AUDIO(100_000));
    await mined(fx.as(small).token.approve(fx.contracts.staking, AUDIO(100_000)));
    await mined(fx.as(small).factory.increaseStake(AUDIO(100_000)));
    const vote = await mined(fx.as(small).governance.submitVote(id, Vote.Yes));
    expect(eventsOf(vote, fx.as(small).governance.interface, "ProposalVoteSubmitted")[0].voteMagnitude).to.equal(AUDIO(200_000));
  });

  it("settles a proposal without quorum as QuorumNotMet and leaves the parameter alone", async () => {
    const fx = get();
    const { small } = await stakers(fx);
    const { id } = await propose(fx, small);
    await mined(fx.as(small).governance.submitVote(id, Vote.Yes));
    await fx.mine(fx.params.votingPeriod + fx.params.executionDelay);
    const done = await mined(fx.as(small).governance.evaluateProposalOutcome(id));
    // 200,000 of 9,200,000 voted: 2.2 % < 5 %
    expect(eventsOf(done, fx.as(small).governance.interface, "ProposalOutcomeEvaluated")[0].toArray()).to.deep.equal([
      id,
      Outcome.QuorumNotMet,
      AUDIO(200_000),
      0n,
      1n,
    ]);
    expect(eventsOf(done, fx.as(small).governance.interface, "ProposalTransactionExecuted")).to.have.length(0);
    expect(await fx.as(small).claimsManager.fundingAmount()).to.equal(fx.params.fundingAmount);
  });

  it("rejects a proposal with more No than Yes, and records a failing call", async () => {
    const fx = get();
    const { big, small } = await stakers(fx);
    const rejected = await propose(fx, big);
    await mined(fx.as(big).governance.submitVote(rejected.id, Vote.No));
    await mined(fx.as(small).governance.submitVote(rejected.id, Vote.Yes));

    const gov = fx.as(big).governance;
    const failing = await mined(
      gov.submitProposal(ETH_REGISTRY_KEYS.governance, 0n, "updateQuorumPercent(uint256)", abi.encode(["uint256"], [0n]), "Bad", "quorum 0"),
    );
    const failingId = eventsOf(failing, gov.interface, "ProposalSubmitted")[0].proposalId as bigint;
    await mined(gov.submitVote(failingId, Vote.Yes));
    await fx.mine(fx.params.votingPeriod + fx.params.executionDelay);

    const r1 = await mined(gov.evaluateProposalOutcome(rejected.id));
    expect(eventsOf(r1, gov.interface, "ProposalOutcomeEvaluated")[0].outcome).to.equal(Outcome.Rejected);
    expect(await fx.as(big).claimsManager.fundingAmount()).to.equal(fx.params.fundingAmount);
    const r2 = await mined(gov.evaluateProposalOutcome(failingId));
    expect(eventsOf(r2, gov.interface, "ProposalTransactionExecuted")[0].success).to.equal(false);
    expect(eventsOf(r2, gov.interface, "ProposalOutcomeEvaluated")[0].outcome).to.equal(Outcome.ApprovedExecutionFailed);
    expect(await gov.quorumPercent()).to.equal(fx.params.quorumPercent);
  });

  it("rejects a proposal from a non-staker or to an unknown contract", async () => {
    const fx = get();
    const { big } = await stakers(fx);
    const outsider = fx.delegators[0];
    await expectRevert(
      fx.as(outsider).governance.submitProposal(ETH_REGISTRY_KEYS.claimsManager, 0n, "updateFundingAmount(uint256)", "0x", "n", "d"),
      "NotAStaker",
      [outsider.address],
    );
    const unknown = encodeBytes32String("Nope");
    await expectRevert(
      fx.as(big).governance.submitProposal(unknown, 0n, "updateFundingAmount(uint256)", "0x", "n", "d"),
      "InvalidTargetContract",
      [unknown],
    );
    await expectRevert(fx.as(big).governance.submitProposal(ETH_REGISTRY_KEYS.claimsManager, 0n, "", "0x", "n", "d"), "EmptyFunctionSignature", []);
  });

  it("slashes through a proposal", async () => {
    const fx = get();
    const { big, small } = await stakers(fx);
    const gov = fx.as(big).governance;
    const receipt = await mined(
      gov.submitProposal(
        ETH_REGISTRY_KEYS.delegateManager,
        0n,
        "slash(uint256,address)",
        abi.encode(["uint256", "address"], [AUDIO(50_000), small.address]),
        "Slash dn1",
        "missed its duties",
      ),
    );
    const id = eventsOf(receipt, gov.interface, "ProposalSubmitted")[0].proposalId as bigint;
    await mined(gov.submitVote(id, Vote.Yes));
    await fx.mine(fx.params.votingPeriod + fx.params.executionDelay);
    await mined(gov.evaluateProposalOutcome(id));
    expect(await fx.as(big).staking.totalStakedFor(small.address)).to.equal(AUDIO(150_000));
    expect(await fx.as(big).token.balanceOf(fx.contracts.governance)).to.equal(AUDIO(50_000));
  });

  it("lets only the guardian veto, execute directly and pass on the role", async () => {
    const fx = get();
    const { big } = await stakers(fx);
    const { id } = await propose(fx, big);
    const gov = fx.as(big).governance;
    await expectRevert(gov.vetoProposal(id), "NotGuardian", [big.address]);
    await expectRevert(
      gov.guardianExecuteTransaction(ETH_REGISTRY_KEYS.claimsManager, 0n, "updateFundingAmount(uint256)", abi.encode(["uint256"], [1n])),
      "NotGuardian",
      [big.address],
    );
    await expectRevert(gov.transferGuardianship(big.address), "NotGuardian", [big.address]);
    const guardian = fx.as(fx.deployer).governance;
    const veto = await mined(guardian.vetoProposal(id));
    expect(eventsOf(veto, gov.interface, "ProposalVetoed")[0].toArray()).to.deep.equal([id]);
    expect((await gov.getProposalById(id)).outcome).to.equal(Outcome.Vetoed);
    await expectRevert(gov.submitVote(id, Vote.Yes), "ProposalNotInProgress", [id, Outcome.Vetoed]);

    const direct = await mined(
      guardian.guardianExecuteTransaction(ETH_REGISTRY_KEYS.claimsManager, 0n, "updateFundingAmount(uint256)", abi.encode(["uint256"], [7n])),
    );
    expect(eventsOf(direct, gov.interface, "GuardianTransactionExecuted")[0].targetContractAddress).to.equal(fx.contracts.claimsManager);
    expect(await gov.getProposalById(id).then((p) => p.outcome)).to.equal(Outcome.Vetoed);
    expect(await fx.as(big).claimsManager.fundingAmount()).to.equal(7n);

    // a two-step hand-off: the role moves only when the new guardian accepts it
    const offered = await mined(guardian.transferGuardianship(big.address));
    expect(eventsOf(offered, gov.interface, "GuardianshipTransferStarted")[0].toArray()).to.deep.equal([big.address]);
    expect(await gov.guardian()).to.equal(fx.deployer.address);
    await expectRevert(fx.as(fx.delegators[0]).governance.acceptGuardianship(), "NotPendingGuardian", [fx.delegators[0].address]);
    const moved = await mined(gov.acceptGuardianship());
    expect(eventsOf(moved, gov.interface, "GuardianshipTransferred")[0].toArray()).to.deep.equal([big.address]);
    expect(await gov.guardian()).to.equal(big.address);
    expect(await gov.pendingGuardian()).to.equal(ZeroAddress);
    await expectRevert(guardian.vetoProposal(id), "NotGuardian", [fx.deployer.address]);
    // and it can be given up for good
    await mined(gov.renounceGuardianship());
    expect(await gov.guardian()).to.equal(ZeroAddress);
    await expectRevert(gov.transferGuardianship(big.address), "NotGuardian", [big.address]);
  });

  it("changes its own parameters only through itself", async () => {
    const fx = get();
    const gov = fx.as(fx.deployer).governance;
    const me = fx.deployer.address;
    await expectRevert(gov.updateVotingPeriod(1n), "NotGovernance", [me]);
    await expectRevert(gov.updateExecutionDelay(1n), "NotGovernance", [me]);
    await expectRevert(gov.updateQuorumPercent(1n), "NotGovernance", [me]);
    // voting period + execution delay must stay under the 20-block withdrawal lockups
    await expectGovernedRevert(fx.governed("governance", "updateVotingPeriod(uint256)", ["uint256"], [15n]), "LockupTooShort", [20n, 21n]);
    await expectGovernedRevert(fx.governed("governance", "updateExecutionDelay(uint256)", ["uint256"], [10n]), "LockupTooShort", [20n, 21n]);
    const a = await fx.governed("governance", "updateVotingPeriod(uint256)", ["uint256"], [5n]);
    expect(eventsOf(a, gov.interface, "VotingPeriodUpdated")[0].toArray()).to.deep.equal([5n]);
    const b = await fx.governed("governance", "updateExecutionDelay(uint256)", ["uint256"], [2n]);
    expect(eventsOf(b, gov.interface, "ExecutionDelayUpdated")[0].toArray()).to.deep.equal([2n]);
    const c = await fx.governed("governance", "updateQuorumPercent(uint256)", ["uint256"], [10n]);
    expect(eventsOf(c, gov.interface, "QuorumPercentUpdated")[0].toArray()).to.deep.equal([10n]);
    expect([await gov.votingPeriod(), await gov.executionDelay(), await gov.quorumPercent()]).to.deep.equal([5n, 2n, 10n]);
  });
});
