import { expect } from "chai";
import { JsonRpcProvider, parseEther, toQuantity } from "ethers";
import { createAsix } from "../../sdk";
import { createStakingApi, type StakingApi } from "../../sdk/staking";
import { createGovernanceApi, type GovernanceApi } from "../../sdk/governance";
import { ClaimsManager__factory, Staking__factory } from "../../typechain-types";
import type { Devnet } from "../../devnet";
import { DEVNET_ETH_PARAMS } from "../../devnet/deployEth";
import { startTestDevnet } from "../helpers/devnet";
import { rejection } from "../helpers/errors";

const AUDIO = (n: string | number) => parseEther(String(n));


describe("staking and governance through the SDK on the devnet", function () {
  this.timeout(120_000);
  let devnet: Devnet;
  let provider: JsonRpcProvider;
  const as = (i: number) => {
    const asix = createAsix({ network: devnet, wallet: devnet.accounts[i].privateKey });
    return { staking: createStakingApi(asix.client), governance: createGovernanceApi(asix.client), address: devnet.accounts[i].address };
  };
  let treasury: ReturnType<typeof as>;
  let operator: ReturnType<typeof as>;
  let delegator: ReturnType<typeof as>;
  const endpoint = "http://new-content-node.example:4000";
  const mine = (blocks: number | bigint) => provider.send("hardhat_mine", [toQuantity(BigInt(blocks))]);

  before(async () => {
    devnet = await startTestDevnet({ contentNodes: 1, logs: false });
    provider = new JsonRpcProvider(devnet.ethChain.url, devnet.ethChain.chainId, { staticNetwork: true, cacheTimeout: -1 });
    treasury = as(0);
    operator = as(16);
    delegator = as(17);
  });

  after(async () => {
    provider?.destroy();
    await devnet?.stop();
  });

  it("reads the parameters Governance set at deployment", async () => {
    const p = await treasury.staking.getParameters();
    expect(p.serviceTypes["content-node"]).to.deep.equal({ minStake: DEVNET_ETH_PARAMS.contentNode.min, maxStake: DEVNET_ETH_PARAMS.contentNode.max, isValid: true });
    expect(p.serviceTypes["discovery-node"].maxStake).to.equal(DEVNET_ETH_PARAMS.discoveryNode.max);
    expect(p).to.deep.include({
      decreaseStakeLockup: Number(DEVNET_ETH_PARAMS.decreaseStakeLockup),
      undelegateLockup: Number(DEVNET_ETH_PARAMS.undelegateLockup),
      minDelegation: DEVNET_ETH_PARAMS.minDelegation,
      maxDelegators: Number(DEVNET_ETH_PARAMS.maxDelegators),
      fundingAmount: DEVNET_ETH_PARAMS.fundingAmount,
      roundNumber: 0,
      votingPeriod: Number(DEVNET_ETH_PARAMS.votingPeriod),
      executionDelay: Number(DEVNET_ETH_PARAMS.executionDelay),
      quorumPercent: Number(DEVNET_ETH_PARAMS.quorumPercent),
    });
  });

  it("funds a new operator, who registers a content node with stake in one transaction", async () => {
    // concurrent writes from one wallet are queued, so they do not collide on the nonce
    const [funded] = await Promise.all([
      treasury.staking.transfer(operator.address, AUDIO(300_000)),
      treasury.staking.transfer(delegator.address, AUDIO(1_000)),
      treasury.staking.transfer(as(18).address, AUDIO(150_000)),
    ]);
    expect(funded.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(await operator.staking.balanceOf()).to.equal(AUDIO(300_000));

    const registered = await operator.staking.register({ type: "content-node", endpoint, stake: AUDIO(250_000) });
    expect(registered).to.include({ type: "content-node", endpoint, stake: AUDIO(250_000) });
    expect(registered.blockNumber).to.be.a("number");
    // the permit rides in the register call: no separate approve
    expect(await provider.getTransactionCount(operator.address)).to.equal(1);
    expect(await operator.staking.balanceOf()).to.equal(AUDIO(50_000));

    const nodes = await treasury.staking.listServiceProviders("content-node");
    const mine = nodes.find((n) => n.endpoint === endpoint)!;
    expect(mine).to.include({ spId: registered.spId, owner: operator.address, delegateOwnerWallet: operator.address, type: "content-node" });
    expect(nodes.map((n) => n.endpoint)).to.include(devnet.contentNodes[0].endpoint);
    expect((await treasury.staking.listServiceProviders("discovery-node")).map((n) => n.owner)).to.deep.equal([devnet.accounts[5].address]);

    const sp = await treasury.staking.getServiceProvider(operator.address);
    expect(sp).to.include({ deployerStake: AUDIO(250_000), totalStake: AUDIO(250_000), numberOfEndpoints: 1, validBounds: true, deployerCut: 0 });
    expect(sp.minAccountStake).to.equal(DEVNET_ETH_PARAMS.contentNode.min);
    expect(sp.endpoints.map((e) => e.spId)).to.deep.equal([registered.spId]);
    expect(sp.pendingDecreaseStake).to.equal(null);

    // The discovery node indexes the factory's events: the new node shows in its network list.
    const deadline = Date.now() + 10_000;
    let listed: string[] = [];
    while (Date.now() < deadline) {
      const health = (await (await fetch(`${devnet.services.discovery[0]}/health_check`)).json()) as { data: { network: { content_nodes: Array<{ endpoint: string }> } } };
      listed = health.data.network.content_nodes.map((n) => n.endpoint);
      if (listed.includes(endpoint)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed).to.include(endpoint);
  });

  it("explains reverts in AUDIO: below the minimum, a duplicate endpoint, a small delegation", async () => {
    const low = as(18);
    const below = await rejection(low.staking.register({ type: "content-node", endpoint: "http://low.example", stake: AUDIO(150_000) }));
    expect(below.code).to.equal("CHAIN_REVERTED");
    expect(below.message).to.contain("stake 150000 AUDIO is below the content-node minimum 200000 AUDIO");
    expect(below.details).to.deep.include({ error: "StakeBelowMinimum" });

    const duplicate = await rejection(low.staking.register({ type: "discovery-node", endpoint, stake: AUDIO(150_000) }));
    expect(duplicate.message).to.match(/endpoint http:\/\/new-content-node\.example:4000 is already registered \(spId \d+\)/);

    const small = await rejection(low.staking.delegate(operator.address, AUDIO(50)));
    expect(small.message).to.contain("delegation 50 AUDIO is below the minimum delegation 100 AUDIO");

    const poor = await rejection(as(19).staking.transfer(low.address, AUDIO(1)));
    expect(poor.message).to.contain("holds 0 AUDIO, less than 1 AUDIO");

    // checked before sending
    expect((await rejection(low.staking.delegate("not-an-address", AUDIO(100)))).code).to.equal("INVALID_INPUT");
    expect((await rejection(low.staking.increaseStake(-1n))).code).to.equal("INVALID_INPUT");
    expect((await rejection(low.staking.register({ type: "relay" as "content-node", endpoint, stake: 1n }))).code).to.equal("INVALID_INPUT");
    expect(await provider.getTransactionCount(low.address)).to.equal(0);
  });

  it("delegates to the new node in one transaction", async () => {
    const delegated = await delegator.staking.delegate(operator.address, AUDIO(1_000));
    expect(delegated).to.include({ serviceProvider: operator.address, amount: AUDIO(1_000), delegatedAmount: AUDIO(1_000) });
    expect(await provider.getTransactionCount(delegator.address)).to.equal(1);
    expect(await treasury.staking.getDelegators(operator.address)).to.deep.equal([{ delegator: delegator.address, amount: AUDIO(1_000) }]);
    const sp = await treasury.staking.getServiceProvider(operator.address);
    expect(sp).to.include({ delegatedStake: AUDIO(1_000), totalStake: AUDIO(251_000) });
  });

  it("runs a round and splits the claim between operator and delegator exactly", async () => {
    // the operator keeps a 10 % deployer cut of its delegators' rewards (request, lockup, apply)
    const cut = await operator.staking.requestUpdateDeployerCut(10);
    expect((await rejection(operator.staking.updateDeployerCut())).message).to.contain(`the lockup ends at block ${cut.lockupExpiryBlock}`);
    await mine(DEVNET_ETH_PARAMS.deployerCutLockup);
    expect((await operator.staking.updateDeployerCut()).cut).to.equal(10);
    expect((await operator.staking.getServiceProvider()).deployerCut).to.equal(10);

    expect((await operator.staking.getClaimable()).pending).to.equal(false);
    const round = await delegator.staking.initiateRound();
    expect(round.fundedAmount).to.equal(DEVNET_ETH_PARAMS.fundingAmount);
    const staking = Staking__factory.connect(devnet.ethChain.contracts.staking, provider);
    const totalAtRound = await staking.totalStakedAt(round.blockNumber - 1); // a round pays on the stakes before its block
    const expected = (DEVNET_ETH_PARAMS.fundingAmount * AUDIO(251_000)) / totalAtRound;
    const claimable = await operator.staking.getClaimable();
    expect(claimable).to.deep.equal({ serviceProvider: operator.address, round: round.round, pending: true, amount: expected });

    // stake changes wait for the claim
    const blocked = await rejection(operator.staking.increaseStake(AUDIO(1)));
    expect(blocked.message).to.contain("has a reward claim pending");

    const claim = await delegator.staking.claimRewards(operator.address);
    const delegatorShare = (expected * AUDIO(1_000)) / AUDIO(251_000);
    const delegatorNet = delegatorShare - (delegatorShare * 10n) / 100n;
    expect(claim).to.include({ serviceProvider: operator.address, round: round.round, rewards: expected, delegatorsReward: delegatorNet });
    expect(claim.deployerReward).to.equal(expected - delegatorNet);
    expect(await treasury.staking.getDelegators(operator.address)).to.deep.equal([{ delegator: delegator.address, amount: AUDIO(1_000) + delegatorNet }]);
    const sp = await treasury.staking.getServiceProvider(operator.address);
    expect(sp.deployerStake).to.equal(AUDIO(250_000) + claim.deployerReward);
    expect(sp.totalStake).to.equal(AUDIO(251_000) + expected);

    const again = await rejection(operator.staking.claimRewards());
    expect(again.message).to.contain(`has nothing to claim in round ${round.round}`);
  });

  it("decreases stake only after the lockup, naming the expiry block", async () => {
    const request = await operator.staking.requestDecreaseStake(AUDIO(40_000));
    expect(request.lockupExpiryBlock).to.equal(request.blockNumber + Number(DEVNET_ETH_PARAMS.decreaseStakeLockup));
    expect(await operator.staking.getPendingDecreaseStake()).to.deep.include({ amount: AUDIO(40_000), lockupExpiryBlock: request.lockupExpiryBlock });

    const early = await rejection(operator.staking.decreaseStake());
    expect(early.code).to.equal("CHAIN_REVERTED");
    expect(early.message).to.match(new RegExp(`the lockup ends at block ${request.lockupExpiryBlock} \\(current block \\d+\\)`));

    const before = await operator.staking.balanceOf();
    const stakeBefore = (await operator.staking.getServiceProvider()).deployerStake;
    await mine(DEVNET_ETH_PARAMS.decreaseStakeLockup);
    const done = await operator.staking.decreaseStake();
    expect(done.amount).to.equal(AUDIO(40_000));
    expect(done.newStakeAmount).to.equal(stakeBefore - AUDIO(40_000));
    expect(await operator.staking.balanceOf()).to.equal(before + AUDIO(40_000));
    expect(await operator.staking.getPendingDecreaseStake()).to.equal(null);
  });

  it("undelegates after the lockup and moves the node to a new endpoint", async () => {
    await delegator.staking.requestUndelegate(operator.address, AUDIO(100));
    expect((await delegator.staking.cancelUndelegate()).amount).to.equal(AUDIO(100));
    expect(await delegator.staking.getPendingUndelegate()).to.equal(null);
    const request = await delegator.staking.requestUndelegate(operator.address, AUDIO(500));
    expect((await delegator.staking.getPendingUndelegate())!).to.deep.include({ serviceProvider: operator.address, amount: AUDIO(500) });
    await mine(BigInt(request.lockupExpiryBlock - request.blockNumber));
    const done = await delegator.staking.undelegate();
    expect(done).to.include({ serviceProvider: operator.address, amount: AUDIO(500) });
    expect(await delegator.staking.balanceOf()).to.equal(AUDIO(500));

    const moved = await operator.staking.updateEndpoint({ type: "content-node", oldEndpoint: endpoint, newEndpoint: "http://moved.example:4000" });
    const nodes = await treasury.staking.listServiceProviders("content-node");
    expect(nodes.find((n) => n.spId === moved.spId)!.endpoint).to.equal("http://moved.example:4000");
  });

  it("changes a parameter through a proposal voted by the stakers", async () => {
    const newFunding = AUDIO(20_000);
    const proposed = await operator.governance.propose({
      target: "ClaimsManager",
      functionSignature: "updateFundingAmount(uint256)",
      args: [newFunding],
      name: "Double the round funding",
      description: "More rewards for node operators",
    });
    expect(proposed.proposalId).to.equal(1);
    // approved too, but its call reverts: the outcome says why
    const broken = await operator.governance.propose({
      target: "Governance",
      functionSignature: "updateQuorumPercent(uint256)",
      args: [0],
      name: "No quorum at all",
      description: "",
    });

    const voters = [operator, as(2), as(5)];
    for (const voter of voters) {
      const v = await voter.governance.vote(proposed.proposalId, "Yes");
      expect(v.voteMagnitude > 0n).to.equal(true);
      await voter.governance.vote(broken.proposalId, "Yes");
    }
    const twice = await rejection(operator.governance.vote(proposed.proposalId, "No"));
    expect(twice.message).to.contain(`already voted on proposal ${proposed.proposalId}`);
    const outsider = await rejection(as(19).governance.vote(proposed.proposalId, "No"));
    expect(outsider.message).to.contain("has no stake");

    const proposal = await treasury.governance.get(proposed.proposalId);
    expect(proposal).to.include({ name: "Double the round funding", target: "ClaimsManager", outcome: "InProgress", numVotes: 3, proposer: operator.address });
    const early = await rejection(treasury.governance.evaluate(proposed.proposalId));
    expect(early.message).to.contain(`can be evaluated from block ${proposal.earliestEvaluationBlock}`);

    await mine(BigInt(proposal.earliestEvaluationBlock - (await provider.getBlockNumber())));
    const evaluated = await treasury.governance.evaluate(proposed.proposalId);
    expect(evaluated.outcome).to.equal("ApprovedExecuted");
    expect(evaluated.executionError).to.equal(undefined);
    expect(await ClaimsManager__factory.connect(devnet.ethChain.contracts.claimsManager, provider).fundingAmount()).to.equal(newFunding);
    expect((await treasury.staking.getParameters()).fundingAmount).to.equal(newFunding);
    const failed = await treasury.governance.evaluate(broken.proposalId);
    expect(failed).to.include({ outcome: "ApprovedExecutionFailed", executionError: "quorum 0% must be 1..100" });
    const list = await treasury.governance.list();
    expect(list.map((p) => [p.proposalId, p.outcome])).to.deep.equal([
      [1, "ApprovedExecuted"],
      [2, "ApprovedExecutionFailed"],
    ]);
    const again = await rejection(treasury.governance.evaluate(proposed.proposalId));
    expect(again.message).to.contain("proposal 1 is no longer in progress (ApprovedExecuted)");
  });
});
