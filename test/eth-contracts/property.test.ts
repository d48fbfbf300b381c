import { expect } from "chai";
import { BrowserProvider, JsonRpcSigner, MaxUint256, NonceManager, type Wallet } from "ethers";
import { AUDIO, CONTENT, connect, DISCOVERY, ETH_ERRORS, mined, startEthFixture, type EthFixture } from "./fixture";
import { DEVNET_ETH_PARAMS } from "../../devnet/deployEth";
import { walkChecks, type WalkModel } from "./propertyChecks";
import { seededRandom } from "../helpers/random";
import {
  AsixToken__factory,
  ClaimsManager__factory,
  DelegateManager__factory,
  ServiceProviderFactory__factory,
  Staking__factory,
} from "../../typechain-types";

/**
 * A seeded random walk over every staking operation, by several operators and delegators, with the
 * accounting invariants checked after every step. Operations that the contracts reject must fail
 * with one of the custom errors expected for them; anything else (a panic, an unknown revert)
 * fails the test. Set ETH_PROPERTY_SEED / ETH_PROPERTY_STEPS to replay or lengthen a walk, and
 * ETH_PROPERTY_VERBOSE=1 to print how often each operation succeeded and where the time went.
 *
 * Transactions go through the JSON-RPC URL like every other test; the ~15 reads per step that check
 * the invariants go straight to the same chain's in-process EIP-1193 provider (about 1 ms a read
 * instead of 2-4 ms over HTTP), so that 1,000 steps fit in about a minute on two cores.
 */
const SEED = Number(process.env.ETH_PROPERTY_SEED ?? 20261126);
const STEPS = Number(process.env.ETH_PROPERTY_STEPS ?? 1000);
const INITIAL_SUPPLY = AUDIO(1_000_000_000);
const START_BALANCE = AUDIO(20_000_000);

type Outcome = { ok: true; receipt: any } | { ok: false; error: string };

describe("eth-contracts: property — a seeded random walk keeps stake and tokens consistent", function () {
  this.timeout(240_000);
  let fx: EthFixture;

  before(async () => {
    fx = await startEthFixture(DEVNET_ETH_PARAMS);
  });
  after(async () => fx?.close());

  it(`holds every invariant over ${STEPS} random operations (seed ${SEED})`, async () => {
    const rand = seededRandom(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const operators = fx.operators.slice(0, 3);
    const delegators = fx.delegators.slice(0, 4);
    const actors = [...operators, ...delegators];
    const c = fx.contracts;
    const reader = new BrowserProvider(fx.chain.provider as any, Number(fx.chain.chainId), { staticNetwork: true, cacheTimeout: -1 } as any);
    const admin = {
      token: AsixToken__factory.connect(c.token, reader),
      staking: Staking__factory.connect(c.staking, reader),
      factory: ServiceProviderFactory__factory.connect(c.serviceProviderFactory, reader),
      delegateManager: DelegateManager__factory.connect(c.delegateManager, reader),
      claimsManager: ClaimsManager__factory.connect(c.claimsManager, reader),
    };
    const funding = fx.params.fundingAmount;
    const signers = new Map<string, ReturnType<typeof connect>>();
    const as = (w: Wallet) => {
      if (!signers.has(w.address)) signers.set(w.address, connect(c, new NonceManager(w) as unknown as Wallet));
      return signers.get(w.address)!;
    };
    // slashes come from Governance itself (impersonated): the guardian may no longer slash, and a
    // proposal per slash would spend a dozen blocks of the walk
    await fx.provider.send("hardhat_impersonateAccount", [c.governance]);
    await fx.provider.send("hardhat_setBalance", [c.governance, "0x56BC75E2D63100000"]);
    const governanceSigner = connect(c, new NonceManager(new JsonRpcSigner(fx.provider, c.governance)) as unknown as Wallet);

    for (const a of actors) {
      await fx.fund(a, START_BALANCE);
      await mined(fx.as(a).token.approve(c.staking, MaxUint256));
    }

    // the model: what every holder should have, and what every operator should have staked
    const balance = new Map<string, bigint>();
    for (const a of actors) balance.set(a.address, START_BALANCE);
    balance.set(c.claimsManager, 0n);
    balance.set(c.governance, 0n);
    balance.set(c.staking, 0n);
    balance.set(fx.deployer.address, INITIAL_SUPPLY - START_BALANCE * BigInt(actors.length));
    const stake = new Map<string, bigint>(operators.map((o) => [o.address, 0n]));
    const endpoints = new Map<string, { type: string; url: string }[]>(operators.map((o) => [o.address, []]));
    let nextEndpoint = 1;
    const move = (from: string, to: string, amount: bigint) => {
      balance.set(from, balance.get(from)! - amount);
      balance.set(to, balance.get(to)! + amount);
    };
    // start with one node per operator and a delegation from each delegator so that the walk spends its steps on more than rejections
    for (const [i, op] of operators.entries()) {
      const type = i === 2 ? DISCOVERY : CONTENT;
      const url = `https://n${nextEndpoint++}.asix.test`;
      await mined(fx.as(op).factory.register(type, url, AUDIO(300_000), op.address));
      endpoints.get(op.address)!.push({ type, url });
      move(op.address, c.staking, AUDIO(300_000));
      stake.set(op.address, AUDIO(300_000));
    }
    for (const [i, d] of delegators.entries()) {
      const sp = operators[i % operators.length];
      await mined(fx.as(d).delegateManager.delegateStake(sp.address, AUDIO(10_000)));
      move(d.address, c.staking, AUDIO(10_000));
      stake.set(sp.address, stake.get(sp.address)! + AUDIO(10_000));
    }

    // Simulate first (one execution, against the pending block the transaction will land in), then
    // send with a fixed gas limit: eth_estimateGas's binary search would triple the walk's time.
    async function attempt(method: any, ...args: unknown[]): Promise<Outcome> {
      try {
        await method.staticCall(...args, { blockTag: "pending" });
      } catch (e: any) {
        const data = e?.data ?? e?.info?.error?.data;
        if (typeof data !== "string") throw e;
        const parsed = ETH_ERRORS.parseError(data);
        if (!parsed) throw e;
        if (parsed.name === "TransactionFailed") return { ok: false, error: ETH_ERRORS.parseError(parsed.args[0])?.name ?? "?" };
        return { ok: false, error: parsed.name };
      }
      // fixed gas and fees, and nonces kept by NonceManager: a step is then one simulation, one send
      const receipt = await (await method(...args, { gasLimit: 5_000_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n })).wait();
      return { ok: true, receipt };
    }

    /** Mostly an element that can act (so the walk gets past the rejections), sometimes any. */
    const preferring = <T>(xs: T[], can: (x: T, i: number) => boolean): T => {
      const able = xs.filter(can);
      return able.length > 0 && rand() < 0.8 ? pick(able) : pick(xs);
    };
    const amountsAround = (xs: number[]) => AUDIO(pick(xs));
    const counts: Record<string, { ok: number; rejected: Record<string, number> }> = {};

    type Step = { name: string; allowed: string[]; subject?: Wallet; run: () => Promise<Outcome>; after?: (o: Outcome & { ok: true }) => Promise<void> | void };
    const steps: (() => Promise<Step>)[] = [
      async () => {
        const op = pick(operators);
        const type = pick([CONTENT, DISCOVERY]);
        const url = rand() < 0.1 && endpoints.get(op.address)!.length > 0 ? endpoints.get(op.address)![0].url : `https://n${nextEndpoint++}.asix.test`;
        const amount = amountsAround([0, 150_000, 200_000, 250_000, 1_000_000, 8_000_000, 11_000_000]);
        return {
          name: "register",
          subject: op,
          allowed: ["StakeBelowMinimum", "StakeAboveMaximum", "EndpointAlreadyRegistered", "ClaimPending"],
          run: () => attempt(as(op).factory.register, type, url, amount, op.address),
          after: () => {
            endpoints.get(op.address)!.push({ type, url });
            if (amount > 0n) {
              move(op.address, c.staking, amount);
              stake.set(op.address, stake.get(op.address)! + amount);
            }
          },
        };
      },
      async () => {
        const op = pick(operators);
        const amount = amountsAround([0, 1, 1_000, 100_000, 5_000_000]);
        return {
          name: "increaseStake",
          subject: op,
          allowed: ["ZeroAmount", "NotAServiceProvider", "StakeAboveMaximum", "ClaimPending"],
          run: () => attempt(as(op).factory.increaseStake, amount),
          after: () => {
            move(op.address, c.staking, amount);
            stake.set(op.address, stake.get(op.address)! + amount);
          },
        };
      },
      async () => {
        const op = pick(operators);
        const own = (await admin.factory.getServiceProviderDetails(op.address)).deployerStake;
        const amount = pick([0n, AUDIO(1_000), AUDIO(50_000), own / 2n, own]);
        return {
          name: "requestDecreaseStake",
          subject: op,
          allowed: ["ZeroAmount", "DecreaseStakeRequestPending", "StakeBelowMinimum", "InsufficientStake", "ClaimPending"],
          run: () => attempt(as(op).factory.requestDecreaseStake, amount),
        };
      },
      async () => {
        const pending = await Promise.all(operators.map((o) => admin.factory.getPendingDecreaseStakeRequest(o.address)));
        const op = preferring(operators, (_, i) => pending[i][1] > 0n);
        const [requested] = pending[operators.indexOf(op)];
        const own = (await admin.factory.getServiceProviderDetails(op.address)).deployerStake;
        const amount = requested < own ? requested : own;
        return {
          name: "decreaseStake",
          subject: op,
          allowed: ["NoPendingDecreaseStake", "LockupNotEnded", "RequestExpired", "StakeBelowMinimum", "ClaimPending"],
          run: () => attempt(as(op).factory.decreaseStake),
          after: () => {
            move(c.staking, op.address, amount);
            stake.set(op.address, stake.get(op.address)! - amount);
          },
        };
      },
      async () => {
        const op = pick(operators);
        return { name: "cancelDecreaseStakeRequest", allowed: ["NoPendingDecreaseStake", "ClaimPending"], run: () => attempt(as(op).factory.cancelDecreaseStakeRequest) };
      },
      async () => {
        const op = pick(operators);
        const mine = endpoints.get(op.address)!;
        const target = mine.length > 0 && rand() < 0.8 ? pick(mine) : { type: CONTENT, url: "https://none.asix.test" };
        return {
          name: "deregister",
          allowed: ["EndpointNotRegistered", "StakeAboveMaximum", "ClaimPending"],
          run: () => attempt(as(op).factory.deregister, target.type, target.url),
          after: () => {
            endpoints.set(op.address, mine.filter((e) => e.url !== target.url));
          },
        };
      },
      async () => {
        const d = pick(delegators);
        const sp = pick(operators);
        const amount = amountsAround([0, 50, 100, 1_000, 50_000, 5_000_000]);
        return {
          name: "delegateStake",
          subject: sp,
          allowed: ["ZeroAmount", "NotAServiceProvider", "DelegatorRemovedByOperator", "DelegationBelowMinimum", "TooManyDelegators", "StakeAboveMaximum", "ClaimPending"],
          run: () => attempt(as(d).delegateManager.delegateStake, sp.address, amount),
          after: () => {
            move(d.address, c.staking, amount);
            stake.set(sp.address, stake.get(sp.address)! + amount);
          },
        };
      },
      async () => {
        const d = pick(delegators);
        const held = await Promise.all(operators.map((o) => admin.delegateManager.getDelegatorStakeForServiceProvider(d.address, o.address)));
        const withStake = operators.filter((_, i) => held[i] > 0n);
        const sp = withStake.length > 0 && rand() < 0.9 ? pick(withStake) : pick(operators);
        const delegated = held[operators.indexOf(sp)];
        const amount = pick([0n, delegated / 3n, delegated, AUDIO(100)]);
        return {
          name: "requestUndelegateStake",
          allowed: ["ZeroAmount", "UndelegateRequestPending", "NotADelegator", "InsufficientStake", "DelegationBelowMinimum", "ClaimPending"],
          run: () => attempt(as(d).delegateManager.requestUndelegateStake, sp.address, amount),
        };
      },
      async () => {
        const pending = await Promise.all(delegators.map((x) => admin.delegateManager.getPendingUndelegateRequest(x.address)));
        const d = preferring(delegators, (_, i) => pending[i][2] > 0n);
        const [sp, requested] = pending[delegators.indexOf(d)];
        const delegated = await admin.delegateManager.getDelegatorStakeForServiceProvider(d.address, sp);
        const amount = requested < delegated ? requested : delegated;
        return {
          name: "undelegateStake",
          allowed: ["NoPendingUndelegate", "LockupNotEnded", "RequestExpired", "ClaimPending"],
          run: () => attempt(as(d).delegateManager.undelegateStake),
          after: () => {
            move(c.staking, d.address, amount);
            stake.set(sp, stake.get(sp)! - amount);
          },
        };
      },
      async () => {
        const op = pick(operators);
        const d = pick(delegators);
        const expiry = await admin.delegateManager.getPendingRemoveDelegatorRequest(op.address, d.address);
        if (expiry === 0n) {
          return {
            name: "requestRemoveDelegator",
            allowed: ["NotADelegator"],
            run: () => attempt(as(op).delegateManager.requestRemoveDelegator, op.address, d.address),
          };
        }
        const delegated = await admin.delegateManager.getDelegatorStakeForServiceProvider(d.address, op.address);
        return {
          name: "removeDelegator",
          allowed: ["LockupNotEnded", "ClaimPending"],
          run: () => attempt(as(op).delegateManager.removeDelegator, op.address, d.address),
          after: () => {
            move(c.staking, d.address, delegated);
            stake.set(op.address, stake.get(op.address)! - delegated);
          },
        };
      },
      async () => ({
        name: "initiateRound",
        allowed: ["RoundTooSoon"],
        run: () => attempt(as(pick(actors)).claimsManager.initiateRound),
        after: () => {
          model.minted += funding;
          balance.set(c.claimsManager, balance.get(c.claimsManager)! + funding);
        },
      }),
      async () => {
        const pendingClaims = await Promise.all(operators.map((o) => admin.claimsManager.claimPending(o.address)));
        const sp = preferring(operators, (_, i) => pendingClaims[i]);
        let reward = 0n;
        try {
          reward = await admin.claimsManager.getClaimableReward(sp.address);
        } catch {
          // the claim below must then fail with NoActiveRound or NoClaimPending
        }
        return {
          name: "claimRewards",
          allowed: ["NoActiveRound", "NoClaimPending"],
          run: () => attempt(as(pick(actors)).delegateManager.claimRewards, sp.address),
          after: () => {
            move(c.claimsManager, c.staking, reward);
            stake.set(sp.address, stake.get(sp.address)! + reward);
          },
        };
      },
      async () => {
        const sp = pick(operators);
        const total = await admin.staking.totalStakedFor(sp.address);
        const amount = pick([0n, total / 50n, total / 7n, total + 1n]);
        return {
          name: "slash",
          allowed: ["ZeroAmount", "InsufficientStake", "ClaimPending"],
          run: () => attempt(governanceSigner.delegateManager.slash, amount, sp.address),
          after: (o) => {
            const [event] = o.receipt.logs
              .map((l: any) => { try { return admin.delegateManager.interface.parseLog(l); } catch { return null; } })
              .filter((e: any) => e?.name === "Slash");
            const slashed = event.args.amount as bigint;
            expect(amount - slashed < 100n, `slashed ${slashed} of ${amount}`).to.equal(true); // at most a few wei of rounding spared
            move(c.staking, c.governance, slashed);
            stake.set(sp.address, stake.get(sp.address)! - slashed);
          },
        };
      },
      async () => {
        const op = pick(operators);
        const [, expiry] = await admin.factory.getPendingUpdateDeployerCutRequest(op.address);
        if (expiry === 0n) {
          const cut = BigInt(Math.floor(rand() * 120));
          return {
            name: "requestUpdateDeployerCut",
            allowed: ["NotAServiceProvider", "DeployerCutTooHigh"],
            run: () => attempt(as(op).factory.requestUpdateDeployerCut, cut),
          };
        }
        return { name: "updateDeployerCut", allowed: ["LockupNotEnded", "RequestExpired", "ClaimPending"], run: () => attempt(as(op).factory.updateDeployerCut) };
      },
      async () => ({
        name: "mine",
        allowed: [],
        run: async () => {
          await fx.mine(1 + Math.floor(rand() * 12));
          return { ok: true, receipt: null };
        },
      }),
    ];

    const model: WalkModel = { seed: SEED, initialSupply: INITIAL_SUPPLY, staking: c.staking, admin, operators, delegators, balance, stake, endpoints, minted: 0n };
    const { checkInvariants, checkComposition, checkBounds } = walkChecks(model);

    const timing = { build: 0, run: 0, check: 0 };
    for (let i = 0; i < STEPS; i++) {
      let t0 = performance.now();
      const step = await pick(steps)();
      timing.build += performance.now() - t0;
      t0 = performance.now();
      const outcome = await step.run();
      const took = performance.now() - t0;
      timing.run += took;
      if (process.env.ETH_PROPERTY_VERBOSE && took > 200) console.log(step.name, outcome.ok, Math.round(took));
      t0 = performance.now();
      const tally = (counts[step.name] ??= { ok: 0, rejected: {} });
      if (outcome.ok) {
        tally.ok++;
        await step.after?.(outcome);
        if (step.subject) await checkBounds(step.name, step.subject, `step ${i} (${step.name}), seed ${SEED}`);
      } else {
        tally.rejected[outcome.error] = (tally.rejected[outcome.error] ?? 0) + 1;
        expect(step.allowed, `step ${i}: ${step.name} reverted with ${outcome.error} (seed ${SEED})`).to.include(outcome.error);
      }
      await checkInvariants(i, step.name);
      if (i % 20 === 19 || i === STEPS - 1) await checkComposition(i, step.name);
      timing.check += performance.now() - t0;
    }

    if (process.env.ETH_PROPERTY_VERBOSE) console.log(JSON.stringify({ timing, counts }));
    // the walk must have exercised the interesting paths, not only rejections
    for (const name of ["register", "increaseStake", "decreaseStake", "delegateStake", "undelegateStake", "initiateRound", "claimRewards", "slash"]) {
      expect(counts[name]?.ok ?? 0, `${name} never succeeded: ${JSON.stringify(counts)}`).to.be.greaterThan(0);
    }

  });
});
