import { expect } from "chai";
import { AbiCoder, BrowserProvider, Interface, JsonRpcSigner, MaxUint256, NonceManager, Wallet } from "ethers";
import { AUDIO, CONTENT, connect, DISCOVERY, ETH_ERRORS, mined, startEthFixture, type EthFixture } from "./fixture";
import { DEVNET_ETH_PARAMS, ETH_REGISTRY_KEYS } from "../../devnet/deployEth";
import {
  AsixToken__factory,
  ClaimsManager__factory,
  DelegateManager__factory,
  Governance__factory,
  ServiceProviderFactory__factory,
  Staking__factory,
} from "../../typechain-types";
import { seededRandom } from "../helpers/random";

/**
 * The property walk in multi-operation blocks (issue 11): with automine off, each block holds 2 to 6
 * random operations from several actors (rounds, claims, proposals, votes, evaluations, stake moves,
 * slashes, token transfers), in the order they were sent. Each operation is first run against the
 * pending block (the queued transactions before it included): if it would revert, the revert must be
 * one of the custom errors expected for it and it is not sent; otherwise it is sent and must succeed
 * when the block is mined. After every block the model is advanced from the block's events and every
 * invariant is checked, plus: a round never pays out more than it minted, and a vote never counts
 * more stake than the voter had staked at the proposal's snapshot (nor all votes more than the total).
 * ETH_BLOCKS_SEED / ETH_BLOCKS_COUNT replay or lengthen the walk (1,000 blocks by default).
 */
const SEED = Number(process.env.ETH_BLOCKS_SEED ?? 20261130);
const BLOCKS = Number(process.env.ETH_BLOCKS_COUNT ?? 1000);
const INITIAL_SUPPLY = AUDIO(1_000_000_000);
const START_BALANCE = AUDIO(20_000_000);
const abi = AbiCoder.defaultAbiCoder();

type Op = { name: string; allowed: string[]; method: any; args: unknown[] };

describe("eth-contracts: property — multi-operation blocks keep stake, rounds and votes consistent", function () {
  this.timeout(600_000);
  let fx: EthFixture;

  before(async () => {
    fx = await startEthFixture(DEVNET_ETH_PARAMS);
  });
  after(async () => {
    await fx?.provider.send("evm_setAutomine", [true]).catch(() => undefined);
    await fx?.close();
  });

  it(`holds every invariant over ${BLOCKS} blocks of 2-6 operations (seed ${SEED})`, async () => {
    const rand = seededRandom(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const c = fx.contracts;
    const operators = fx.operators.slice(0, 3);
    const delegators = fx.delegators.slice(0, 4);
    const actors = [...operators, ...delegators];
    const reader = new BrowserProvider(fx.chain.provider as any, Number(fx.chain.chainId), { staticNetwork: true, cacheTimeout: -1 } as any);
    const admin = {
      token: AsixToken__factory.connect(c.token, reader),
      staking: Staking__factory.connect(c.staking, reader),
      factory: ServiceProviderFactory__factory.connect(c.serviceProviderFactory, reader),
      delegateManager: DelegateManager__factory.connect(c.delegateManager, reader),
      claimsManager: ClaimsManager__factory.connect(c.claimsManager, reader),
      governance: Governance__factory.connect(c.governance, reader),
    };
    // the walk talks to the chain's in-process provider (no HTTP hop): thousands of sends and reads
    const signers = new Map<string, ReturnType<typeof connect>>();
    const as = (w: Wallet) => {
      if (!signers.has(w.address)) signers.set(w.address, connect(c, new NonceManager(new Wallet(w.privateKey, reader)) as unknown as Wallet));
      return signers.get(w.address)!;
    };
    await reader.send("hardhat_impersonateAccount", [c.governance]);
    await reader.send("hardhat_setBalance", [c.governance, "0x56BC75E2D63100000"]);
    const governanceSigner = connect(c, new NonceManager(new JsonRpcSigner(reader, c.governance)) as unknown as Wallet);

    // set-up: funds, allowances, one node per operator, one delegation per delegator
    for (const a of actors) {
      await fx.fund(a, START_BALANCE);
      await mined(fx.as(a).token.approve(c.staking, MaxUint256));
    }
    const endpoints = new Map<string, { type: string; url: string }[]>(operators.map((o) => [o.address, []]));
    let nextEndpoint = 1;
    for (const [i, op] of operators.entries()) {
      const type = i === 2 ? DISCOVERY : CONTENT;
      const url = `https://b${nextEndpoint++}.asix.test`;
      await mined(fx.as(op).factory.register(type, url, AUDIO(300_000 * (i + 1)), op.address));
      endpoints.get(op.address)!.push({ type, url });
    }
    for (const [i, d] of delegators.entries()) {
      await mined(fx.as(d).delegateManager.delegateStake(operators[i % operators.length].address, AUDIO(10_000 * (i + 1))));
    }

    // the model, advanced from each block's events
    const holders = [fx.deployer.address, ...actors.map((a) => a.address), c.staking, c.claimsManager, c.governance];
    const balance = new Map<string, bigint>();
    for (const h of holders) balance.set(h, await admin.token.balanceOf(h));
    const stake = new Map<string, bigint>();
    for (const o of operators) stake.set(o.address, await admin.staking.totalStakedFor(o.address));
    let minted = 0n;
    const roundFunding = new Map<bigint, bigint>();
    const roundPaid = new Map<bigint, bigint>();
    const proposals = new Map<bigint, bigint>(); // id => snapshot block
    const votesOn = new Map<bigint, bigint>();
    /** `who`'s own stake (operator stake + delegations) at the end of block `block`, read at that block. */
    const ownAt = async (who: string, block: bigint) => {
      const [details, delegated] = await Promise.all([
        admin.factory.getServiceProviderDetails(who, { blockTag: Number(block) }),
        admin.delegateManager.getTotalDelegatorStake(who, { blockTag: Number(block) }),
      ]);
      return details.deployerStake + delegated;
    };

    const ops: (() => Promise<Op>)[] = [
      async () => {
        const op = pick(operators);
        const type = pick([CONTENT, DISCOVERY]);
        const amount = AUDIO(pick([0, 150_000, 250_000, 1_000_000, 11_000_000]));
        const url = `https://b${nextEndpoint++}.asix.test`;
        return { name: "register", allowed: ["StakeBelowMinimum", "StakeAboveMaximum", "ClaimPending", "ERC20InsufficientBalance"], method: as(op).factory.register, args: [type, url, amount, op.address] };
      },
      async () => ({ name: "increaseStake", allowed: ["ZeroAmount", "NotAServiceProvider", "StakeBelowMinimum", "StakeAboveMaximum", "ClaimPending", "ERC20InsufficientBalance"], method: as(pick(operators)).factory.increaseStake, args: [AUDIO(pick([0, 1_000, 100_000]))] }),
      async () => {
        const op = pick(operators);
        const own = (await admin.factory.getServiceProviderDetails(op.address)).deployerStake;
        return {
          name: "requestDecreaseStake",
          allowed: ["ZeroAmount", "DecreaseStakeRequestPending", "StakeBelowMinimum", "InsufficientStake", "ClaimPending"],
          method: as(op).factory.requestDecreaseStake,
          args: [pick([0n, AUDIO(50_000), own / 3n, own])],
        };
      },
      async () => ({ name: "decreaseStake", allowed: ["NoPendingDecreaseStake", "LockupNotEnded", "RequestExpired", "StakeBelowMinimum", "ClaimPending"], method: as(pick(operators)).factory.decreaseStake, args: [] }),
      async () => ({ name: "cancelDecreaseStakeRequest", allowed: ["NoPendingDecreaseStake", "ClaimPending"], method: as(pick(operators)).factory.cancelDecreaseStakeRequest, args: [] }),
      async () => {
        const op = pick(operators);
        const mine = endpoints.get(op.address)!;
        const target = mine.length > 1 ? pick(mine) : { type: CONTENT, url: "https://none.asix.test" };
        return { name: "deregister", allowed: ["EndpointNotRegistered", "StakeAboveMaximum", "ClaimPending"], method: as(op).factory.deregister, args: [target.type, target.url] };
      },
      async () => ({
        name: "delegateStake",
        allowed: ["ZeroAmount", "NotAServiceProvider", "DelegatorRemovedByOperator", "DelegationBelowMinimum", "TooManyDelegators", "StakeAboveMaximum", "ClaimPending", "ERC20InsufficientBalance"],
        method: as(pick(delegators)).delegateManager.delegateStake,
        args: [pick(operators).address, AUDIO(pick([0, 50, 1_000, 50_000, 2_000_000]))],
      }),
      async () => {
        const d = pick(delegators);
        const sp = pick(operators);
        const held = await admin.delegateManager.getDelegatorStakeForServiceProvider(d.address, sp.address);
        return {
          name: "requestUndelegateStake",
          allowed: ["ZeroAmount", "UndelegateRequestPending", "NotADelegator", "InsufficientStake", "DelegationBelowMinimum", "ClaimPending"],
          method: as(d).delegateManager.requestUndelegateStake,
          args: [sp.address, pick([0n, held / 2n, held])],
        };
      },
      async () => ({ name: "undelegateStake", allowed: ["NoPendingUndelegate", "LockupNotEnded", "RequestExpired", "ClaimPending"], method: as(pick(delegators)).delegateManager.undelegateStake, args: [] }),
      async () => ({ name: "cancelUndelegateStakeRequest", allowed: ["NoPendingUndelegate", "ClaimPending"], method: as(pick(delegators)).delegateManager.cancelUndelegateStakeRequest, args: [] }),
      async () => ({ name: "initiateRound", allowed: ["RoundTooSoon"], method: as(pick(actors)).claimsManager.initiateRound, args: [] }),
      async () => ({ name: "claimRewards", allowed: ["NoActiveRound", "NoClaimPending"], method: as(pick(actors)).delegateManager.claimRewards, args: [pick(operators).address] }),
      async () => ({ name: "claimRewards", allowed: ["NoActiveRound", "NoClaimPending"], method: as(pick(actors)).delegateManager.claimRewards, args: [pick(operators).address] }),
      async () => {
        const sp = pick(operators);
        const total = await admin.staking.totalStakedFor(sp.address);
        return { name: "slash", allowed: ["ZeroAmount", "InsufficientStake", "ClaimPending"], method: governanceSigner.delegateManager.slash, args: [pick([total / 50n, total / 7n, total + 1n]), sp.address] };
      },
      async () => {
        const cut = BigInt(Math.floor(rand() * 101));
        const op = pick(operators);
        return rand() < 0.5
          ? { name: "requestUpdateDeployerCut", allowed: ["NotAServiceProvider", "DeployerCutUpdatePending"], method: as(op).factory.requestUpdateDeployerCut, args: [cut] }
          : { name: "updateDeployerCut", allowed: ["NoPendingDeployerCutUpdate", "LockupNotEnded", "RequestExpired", "ClaimPending"], method: as(op).factory.updateDeployerCut, args: [] };
      },
      async () => {
        // a harmless call (the funding amount it already has), so that executing it leaves the model alone
        const data = abi.encode(["uint256"], [fx.params.fundingAmount]);
        return { name: "submitProposal", allowed: ["NotAStaker"], method: as(pick(actors)).governance.submitProposal, args: [ETH_REGISTRY_KEYS.claimsManager, 0n, "updateFundingAmount(uint256)", data, "p", "d"] };
      },
      async () => {
        const last = Number(await admin.governance.lastProposalId());
        const id = BigInt(Math.max(1, last - Math.floor(rand() * 3)));
        return { name: "submitVote", allowed: ["NotAStaker", "AlreadyVoted", "VotingPeriodEnded", "ProposalNotInProgress", "ProposalNotFound"], method: as(pick(actors)).governance.submitVote, args: [id, pick([1n, 2n])] };
      },
      async () => {
        const last = Number(await admin.governance.lastProposalId());
        const id = BigInt(Math.max(1, last - Math.floor(rand() * 4)));
        return { name: "evaluateProposalOutcome", allowed: ["EvaluationTooEarly", "ProposalNotInProgress", "ProposalNotFound"], method: as(pick(actors)).governance.evaluateProposalOutcome, args: [id] };
      },
      async () => {
        const [from, to] = [pick(actors), pick(actors)];
        return { name: "transfer", allowed: ["ERC20InsufficientBalance"], method: as(from).token.transfer, args: [to.address, AUDIO(pick([1, 1_000, 100_000]))] };
      },
    ];

    const ifaces: [string, Interface][] = [
      [c.token, admin.token.interface],
      [c.staking, admin.staking.interface],
      [c.claimsManager, admin.claimsManager.interface],
      [c.governance, admin.governance.interface],
      [c.serviceProviderFactory, admin.factory.interface],
    ];
    const timing = { ops: 0, mine: 0, check: 0 };
    const counts: Record<string, { ok: number; rejected: Record<string, number> }> = {};
    const opts = { gasLimit: 3_000_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n };

    await reader.send("evm_setAutomine", [false]);
    try {
      for (let b = 0; b < BLOCKS; b++) {
        const where = `block ${b} of the walk, seed ${SEED}`;
        let t0 = performance.now();
        const n = 2 + Math.floor(rand() * 5);
        const sent: { name: string; hash: string }[] = [];
        for (let k = 0; k < n; k++) {
          const op = await pick(ops)();
          const tally = (counts[op.name] ??= { ok: 0, rejected: {} });
          try {
            await op.method.staticCall(...op.args, { blockTag: "pending", gasLimit: opts.gasLimit });
          } catch (e: any) {
            const data = e?.data ?? e?.info?.error?.data;
            const parsed = typeof data === "string" ? ETH_ERRORS.parseError(data) : null;
            if (!parsed) throw e;
            tally.rejected[parsed.name] = (tally.rejected[parsed.name] ?? 0) + 1;
            expect(op.allowed, `${where}: ${op.name} would revert with ${parsed.name}`).to.include(parsed.name);
            continue;
          }
          sent.push({ name: op.name, hash: (await op.method(...op.args, opts)).hash });
        }
        timing.ops += performance.now() - t0;
        t0 = performance.now();
        await reader.send("evm_mine", []);
        const block = await reader.getBlockNumber();
        const receipts = await Promise.all(sent.map((s) => reader.getTransactionReceipt(s.hash)));
        receipts.forEach((r, i) => {
          expect(r?.blockNumber, `${where}: ${sent[i].name} in the block`).to.equal(block);
          expect(r?.status, `${where}: ${sent[i].name} succeeded as simulated`).to.equal(1);
          counts[sent[i].name].ok++;
        });

        timing.mine += performance.now() - t0;
        t0 = performance.now();
        // advance the model from the block's events
        for (const log of receipts.flatMap((r) => r!.logs)) {
          const iface = ifaces.find(([address]) => address === log.address)?.[1];
          const event = iface?.parseLog(log);
          if (!event) continue;
          const a = event.args;
          if (event.name === "Transfer") {
            if (a.from === "0x0000000000000000000000000000000000000000") minted += a.value;
            else balance.set(a.from, (balance.get(a.from) ?? 0n) - a.value);
            balance.set(a.to, (balance.get(a.to) ?? 0n) + a.value);
          } else if (["Staked", "Unstaked", "Slashed"].includes(event.name)) {
            stake.set(a.account, a.total);
          } else if (event.name === "RoundInitiated") {
            roundFunding.set(a.roundNumber, a.fundedAmount);
          } else if (event.name === "ClaimProcessed") {
            roundPaid.set(a.roundNumber, (roundPaid.get(a.roundNumber) ?? 0n) + a.rewards);
            // a round never pays more than it minted
            expect(roundPaid.get(a.roundNumber)! <= roundFunding.get(a.roundNumber)!, `${where}: round ${a.roundNumber} overpaid`).to.equal(true);
          } else if (event.name === "ProposalSubmitted") {
            proposals.set(a.proposalId, BigInt(block) - 1n);
          } else if (event.name === "ProposalVoteSubmitted") {
            // a vote never counts more stake than the voter had staked at the proposal's snapshot
            const snapshot = proposals.get(a.proposalId)!;
            expect(a.voteMagnitude <= (await ownAt(a.voter, snapshot)), `${where}: vote of ${a.voter} above its stake at ${snapshot}`).to.equal(true);
            votesOn.set(a.proposalId, (votesOn.get(a.proposalId) ?? 0n) + a.voteMagnitude);
            expect(votesOn.get(a.proposalId)! <= (await admin.staking.totalStakedAt(snapshot)), `${where}: votes above the stake at ${snapshot}`).to.equal(true);
          } else if (event.name === "RegisteredServiceProvider") {
            endpoints.get(a.owner)?.push({ type: a.serviceType, url: a.endpoint });
          } else if (event.name === "DeregisteredServiceProvider") {
            endpoints.set(a.owner, endpoints.get(a.owner)!.filter((e) => e.url !== a.endpoint));
          }
        }
        await checkInvariants(where);
        timing.check += performance.now() - t0;
        // now and then a few empty blocks, so that lockups, rounds and voting periods come to an end
        if (rand() < 0.3) await reader.send("hardhat_mine", [`0x${(1 + Math.floor(rand() * 4)).toString(16)}`]);
      }
    } finally {
      await reader.send("evm_setAutomine", [true]);
    }

    async function checkInvariants(where: string) {
      const addresses = [...balance.keys()];
      const [supply, totalStaked, balances, cm] = await Promise.all([
        admin.token.totalSupply(),
        admin.staking.totalStaked(),
        Promise.all(addresses.map((h) => admin.token.balanceOf(h))),
        Promise.all([admin.claimsManager.totalClaimedInRound(), admin.claimsManager.currentRoundFunding(), admin.claimsManager.totalMinted()]),
      ]);
      expect(supply, `${where}: supply`).to.equal(INITIAL_SUPPLY + minted);
      expect(cm[2], `${where}: minted`).to.equal(minted);
      addresses.forEach((h, i) => expect(balances[i], `${where}: balance of ${h}`).to.equal(balance.get(h)));
      expect(balances.reduce((x, y) => x + y, 0n), `${where}: every token accounted for`).to.equal(supply);
      expect(cm[0] <= cm[1], `${where}: claimed ${cm[0]} of a round of ${cm[1]}`).to.equal(true);
      const perOperator = await Promise.all(
        operators.map(async (o) => {
          const [staked, details, delegatedTotal, locked, list] = await Promise.all([
          admin.staking.totalStakedFor(o.address),
          admin.factory.getServiceProviderDetails(o.address),
          admin.delegateManager.getTotalDelegatedToServiceProvider(o.address),
          admin.delegateManager.getLockedStake(o.address),
          admin.delegateManager.getDelegatorsList(o.address),
          ]);
          const each = await Promise.all(list.map((d) => admin.delegateManager.getDelegatorStakeForServiceProvider(d, o.address)));
          return { o, staked, details, delegatedTotal, locked, each };
        }),
      );
      let sum = 0n;
      for (const { o, staked, details, delegatedTotal, locked, each } of perOperator) {
        expect(staked, `${where}: stake of ${o.address}`).to.equal(stake.get(o.address));
        expect(staked, `${where}: own + delegated of ${o.address}`).to.equal(details.deployerStake + delegatedTotal);
        expect(locked <= staked, `${where}: locked ${locked} of ${staked}`).to.equal(true);
        expect(each.reduce((x, y) => x + y, 0n), `${where}: delegations to ${o.address}`).to.equal(delegatedTotal);
        expect(details.numberOfEndpoints, `${where}: endpoints of ${o.address}`).to.equal(BigInt(endpoints.get(o.address)!.length));
        sum += staked;
      }
      expect(totalStaked, `${where}: total staked`).to.equal(sum);
      expect(balance.get(c.staking), `${where}: Staking's balance`).to.equal(totalStaked);
    }

    if (process.env.ETH_PROPERTY_VERBOSE) console.log(JSON.stringify({ timing, counts }));
    // the walk must have put the interesting operations in its blocks, not only rejections
    for (const name of ["initiateRound", "claimRewards", "submitProposal", "submitVote", "evaluateProposalOutcome", "slash", "decreaseStake", "undelegateStake", "delegateStake"]) {
      expect(counts[name]?.ok ?? 0, `${name} never landed: ${JSON.stringify(counts)}`).to.be.greaterThan(0);
    }
  });
});
