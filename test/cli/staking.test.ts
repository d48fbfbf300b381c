import { expect } from "chai";
import { JsonRpcProvider, parseEther, toQuantity, Wallet } from "ethers";
import type { Devnet } from "../../devnet";
import { DEVNET_ETH_PARAMS } from "../../devnet/deployEth";
import { ClaimsManager__factory, DelegateManager__factory, Staking__factory } from "../../typechain-types";
import { createAsix } from "../../sdk";
import { createStakingApi } from "../../sdk/staking";
import { startTestDevnet } from "../helpers/devnet";
import { asix, type CliResult } from "../helpers/cli";

const AUDIO = (n: string | number) => parseEther(String(n));

describe("asix token / node / delegate / rewards / governance against a devnet", function () {
  // Steps that do not depend on each other run as concurrent processes: each spawn loads oclif and ethers.
  this.timeout(150_000);
  let devnet: Devnet;
  let provider: JsonRpcProvider;
  const endpoint = "http://cli-content-node.example:4000";
  const address = (i: number) => devnet.accounts[i].address;
  const mine = (blocks: number | bigint) => provider.send("hardhat_mine", [toQuantity(BigInt(blocks))]);

  /** run `asix ... --json` as devnet account `account`; expect success and return the JSON */
  async function ok(account: number, args: string[]): Promise<any> {
    const res = await asix([...args, "--account", String(account), "--json", "--devnet", devnet.dir]);
    expect(res.code, `asix ${args.join(" ")}: ${res.stdout}${res.stderr}`).to.equal(0);
    return res.json;
  }
  /** run it expecting failure: exit 1 for a failed action, 2 for a usage error */
  async function fails(account: number, args: string[], json = true, exit = 1): Promise<CliResult> {
    const res = await asix([...args, "--account", String(account), ...(json ? ["--json"] : []), "--devnet", devnet.dir]);
    expect(res.code, `asix ${args.join(" ")} should fail: ${res.stdout}`).to.equal(exit);
    return res;
  }

  before(async () => {
    devnet = await startTestDevnet({ contentNodes: 1, logs: false });
    provider = new JsonRpcProvider(devnet.ethChain.url, devnet.ethChain.chainId, { staticNetwork: true, cacheTimeout: -1 });
    // the delegator and the under-staked operator get their AUDIO directly; the operator's comes through the CLI
    const treasury = createStakingApi(createAsix({ network: devnet, wallet: devnet.accounts[0].privateKey }).client);
    await treasury.transfer(address(17), AUDIO(1_000));
    await treasury.transfer(address(18), AUDIO(150_000));
  });

  after(async () => {
    provider?.destroy();
    await devnet?.stop();
  });

  it("funds an operator from account 0 and registers its node with --stake in AUDIO", async () => {
    const sent = await ok(0, ["token", "transfer", address(16), "300000"]);
    expect(sent).to.include({ to: address(16), amount: AUDIO(300_000).toString() });
    expect(sent.transactionHash).to.match(/^0x[0-9a-f]{64}$/);

    const registered = await ok(16, ["node", "register", "content-node", endpoint, "--stake", "250000"]);
    expect(registered).to.include({ type: "content-node", endpoint, stake: AUDIO(250_000).toString() });
    const [balance, list, params] = await Promise.all([ok(16, ["token", "balance"]), ok(16, ["node", "list", "content-node"]), ok(16, ["node", "params"])]);
    expect(params.serviceTypes["content-node"].minStake).to.equal(DEVNET_ETH_PARAMS.contentNode.min.toString());
    expect(params.decreaseStakeLockup).to.equal(Number(DEVNET_ETH_PARAMS.decreaseStakeLockup));
    expect(balance).to.include({ address: address(16), balance: AUDIO(50_000).toString(), balanceAudio: "50000 AUDIO" });
    expect(list.data.find((n: any) => n.endpoint === endpoint)).to.include({ spId: registered.spId, owner: address(16) });
  });

  it("prints reverts and bad numbers as one line, or {error} with --json", async () => {
    const register = ["node", "register", "content-node", "http://low.example", "--stake", "150000"];
    const [below, plain, bad, badType, neither] = await Promise.all([
      fails(18, register),
      fails(18, register, false),
      fails(16, ["node", "stake", "lots"], false),
      fails(16, ["node", "deregister", "relay", endpoint], true, 2),
      fails(16, ["node", "unstake"]),
    ]);
    expect(below.json.error.code).to.equal("CHAIN_REVERTED");
    expect(below.json.error.message).to.contain("stake 150000 AUDIO is below the content-node minimum 200000 AUDIO");
    expect(plain.stderr.trim().split("\n")).to.have.length(1);
    expect(plain.stderr).to.match(/^asix: register: stake 150000 AUDIO is below the content-node minimum 200000 AUDIO/);
    expect(bad.stderr.trim()).to.equal('asix: amount must be a number of AUDIO such as 200000 or 1.5, got "lots"');
    expect(badType.json.error.message).to.contain("relay");
    expect(neither.json.error.code).to.equal("INVALID_INPUT");
  });

  it("delegates by node URL, runs a round and claims with the split", async () => {
    const delegated = await ok(17, ["delegate", endpoint, "1000"]);
    expect(delegated).to.include({ serviceProvider: address(16), delegatedAmount: AUDIO(1_000).toString() });

    const round = await ok(17, ["rewards", "round"]);
    expect(round.fundedAmount).to.equal(DEVNET_ETH_PARAMS.fundingAmount.toString());
    const totalAtRound = await Staking__factory.connect(devnet.ethChain.contracts.staking, provider).totalStakedAt(round.blockNumber - 1); // a round pays on the stakes before its block
    const rewards = (DEVNET_ETH_PARAMS.fundingAmount * AUDIO(251_000)) / totalAtRound;
    const delegatorsReward = (rewards * AUDIO(1_000)) / AUDIO(251_000); // deployer cut 0 %

    const claim = await ok(17, ["rewards", "claim", address(16)]);
    expect(claim).to.include({
      serviceProvider: address(16),
      round: round.round,
      rewards: rewards.toString(),
      delegatorsReward: delegatorsReward.toString(),
      deployerReward: (rewards - delegatorsReward).toString(),
    });
    const [info, again] = await Promise.all([ok(17, ["node", "info", address(16)]), fails(17, ["rewards", "claim", address(16)])]);
    expect(info).to.include({ deployerStake: (AUDIO(250_000) + rewards - delegatorsReward).toString(), delegatedStake: (AUDIO(1_000) + delegatorsReward).toString() });
    expect(again.json.error.message).to.contain(`nothing to claim in round ${round.round}`);
  });

  it("unstakes after the lockup with --finish, and undelegates the same way", async () => {
    const [request, undelegating, cut] = await Promise.all([
      ok(16, ["node", "unstake", "40000"]),
      ok(17, ["undelegate", address(16), "500"]),
      ok(5, ["node", "cut", "15"]),
    ]);
    expect(cut.cut).to.equal(15);
    expect(request.lockupExpiryBlock).to.equal(request.blockNumber + Number(DEVNET_ETH_PARAMS.decreaseStakeLockup));
    const [early, pending] = await Promise.all([fails(16, ["node", "unstake", "--finish"]), ok(16, ["node", "info"])]);
    expect(early.json.error.message).to.contain(`the lockup ends at block ${request.lockupExpiryBlock}`);
    expect(pending.pendingDecreaseStake).to.include({ amount: AUDIO(40_000).toString(), lockupExpiryBlock: request.lockupExpiryBlock });

    await mine(BigInt(Math.max(request.lockupExpiryBlock, undelegating.lockupExpiryBlock, cut.lockupExpiryBlock) - (await provider.getBlockNumber())));
    // a cut change waits until the operator's reward of the current round is claimed (a round pays the cut in force at its start)
    if (await ClaimsManager__factory.connect(devnet.ethChain.contracts.claimsManager, provider).claimPending(address(5))) {
      await ok(5, ["rewards", "claim", address(5)]);
    }
    const [finished, out, cutNow] = await Promise.all([
      ok(16, ["node", "unstake", "--finish"]),
      ok(17, ["undelegate", "--finish"]),
      ok(5, ["node", "cut", "--finish"]),
    ]);
    expect(cutNow.cut).to.equal(15);
    expect(finished.amount).to.equal(AUDIO(40_000).toString());
    expect(out).to.include({ serviceProvider: address(16), amount: AUDIO(500).toString() });

    const [balance, moved, discoveryOperator] = await Promise.all([
      ok(16, ["token", "balance"]),
      ok(16, ["node", "update-endpoint", "content-node", endpoint, "http://moved.example:4000"]),
      ok(5, ["node", "info"]),
    ]);
    expect(balance).to.include({ balance: AUDIO(90_000).toString() });
    expect(discoveryOperator.deployerCut).to.equal(15);
    expect(moved).to.include({ newEndpoint: "http://moved.example:4000" });
  });

  it("changes the minimum delegation through propose, vote and evaluate", async () => {
    const proposed = await ok(16, [
      "governance", "propose",
      "--target", "DelegateManager",
      "--function", "updateMinDelegationAmount(uint256)",
      "--arg", AUDIO(200).toString(),
      "--name", "Raise the minimum delegation",
      "--description", "Fewer dust delegations",
    ]);
    expect(proposed.proposalId).to.equal(1);
    const [early, ...votes] = await Promise.all([
      fails(0, ["governance", "evaluate", "1"]),
      ...[16, 2, 5].map((voter) => ok(voter, ["governance", "vote", "1", "yes"])),
    ]);
    expect(votes.map((v) => v.vote)).to.deep.equal(["Yes", "Yes", "Yes"]);
    expect(early.json.error.message).to.contain(`can be evaluated from block ${proposed.earliestEvaluationBlock}`);

    await mine(BigInt(proposed.earliestEvaluationBlock - (await provider.getBlockNumber())));
    expect(await ok(0, ["governance", "evaluate", "1"])).to.include({ outcome: "ApprovedExecuted", numVotes: 3 });
    const list = await ok(0, ["governance", "list"]);
    expect(list).to.include({ offset: 0, next: null });
    expect(list.data).to.have.length(1);
    expect(list.data[0]).to.include({ proposalId: 1, outcome: "ApprovedExecuted", name: "Raise the minimum delegation", target: "DelegateManager" });
    expect(await DelegateManager__factory.connect(devnet.ethChain.contracts.delegateManager, provider).minDelegationAmount()).to.equal(AUDIO(200));
  });

  it("delegates and stakes with --gasless from wallets that hold AUDIO and no ETH", async () => {
    const fan = Wallet.createRandom();
    const treasury = createStakingApi(createAsix({ network: devnet, wallet: devnet.accounts[0].privateKey }).client);
    await treasury.transfer(fan.address, AUDIO(300));
    await provider.send("hardhat_setBalance", [address(16), "0x0"]);
    const [delegated, staked] = await Promise.all([
      asix(["delegate", address(16), "250", "--gasless", "--private-key", fan.privateKey, "--json", "--devnet", devnet.dir]),
      ok(16, ["node", "stake", "1000", "--gasless"]),
    ]);
    expect(delegated.code, delegated.stdout + delegated.stderr).to.equal(0);
    expect(delegated.json).to.include({ serviceProvider: address(16), delegatedAmount: AUDIO(250).toString() });
    expect(staked.amount).to.equal(AUDIO(1_000).toString());
    for (const tx of [delegated.json.transactionHash, staked.transactionHash]) {
      expect((await provider.getTransactionReceipt(tx))!.from).to.not.be.oneOf([fan.address, address(16)]);
    }
    expect(await provider.getBalance(fan.address)).to.equal(0n);
    expect(await provider.getBalance(address(16))).to.equal(0n);
  });
});
