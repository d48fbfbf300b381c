import { expect } from "chai";
import type { Wallet } from "ethers";
import type { AsixToken, ClaimsManager, DelegateManager, ServiceProviderFactory, Staking } from "../../typechain-types";

/** The property walk's model of who should hold what, which the checks compare with the chain. */
export type WalkModel = {
  seed: number;
  initialSupply: bigint;
  staking: string;
  admin: { token: AsixToken; staking: Staking; factory: ServiceProviderFactory; delegateManager: DelegateManager; claimsManager: ClaimsManager };
  operators: Wallet[];
  delegators: Wallet[];
  balance: Map<string, bigint>;
  stake: Map<string, bigint>;
  endpoints: Map<string, { type: string; url: string }[]>;
  /** rewards minted by the rounds so far */
  minted: bigint;
};

/** The invariants the walk checks against its model, read from the chain through `m.admin`. */
export function walkChecks(m: WalkModel) {
  /** The four invariants of issue 3, after every step. */
  async function checkInvariants(step: number, last: string) {
    const where = `step ${step} (${last}), seed ${m.seed}`;
    const holders = [...m.balance.keys()];
    const [supply, totalStaked, balances, stakes] = await Promise.all([
      m.admin.token.totalSupply(),
      m.admin.staking.totalStaked(),
      Promise.all(holders.map((h) => m.admin.token.balanceOf(h))),
      Promise.all(m.operators.map((o) => m.admin.staking.totalStakedFor(o.address))),
    ]);
    // supply = initial + the rounds minted
    expect(supply, where).to.equal(m.initialSupply + m.minted);
    // tokens are conserved: every holder has what the model says, and nobody else holds any
    holders.forEach((h, i) => expect(balances[i], `${where}: balance of ${h}`).to.equal(m.balance.get(h)));
    expect(balances.reduce((a, b) => a + b, 0n), where).to.equal(supply);
    // Staking's total = the sum of all stakes = its token balance; each stake is what the model says
    expect(totalStaked, where).to.equal(stakes.reduce((a, b) => a + b, 0n));
    expect(m.balance.get(m.staking), where).to.equal(totalStaked);
    m.operators.forEach((o, i) => expect(stakes[i], `${where}: stake of ${o.address}`).to.equal(m.stake.get(o.address)));
  }

  /** How each stake is made up (own + delegations), every few steps and at the end. */
  async function checkComposition(step: number, last: string) {
    const where = `step ${step} (${last}), seed ${m.seed}`;
    const [totalMinted, perOperator, perDelegator] = await Promise.all([
      m.admin.claimsManager.totalMinted(),
      Promise.all(
        m.operators.map((o) =>
          Promise.all([
            m.admin.staking.totalStakedFor(o.address),
            m.admin.factory.getServiceProviderDetails(o.address),
            m.admin.delegateManager.getTotalDelegatedToServiceProvider(o.address),
          ]),
        ),
      ),
      Promise.all(
        m.delegators.map((d) =>
          Promise.all([
            m.admin.delegateManager.getTotalDelegatorStake(d.address),
            Promise.all(m.operators.map((o) => m.admin.delegateManager.getDelegatorStakeForServiceProvider(d.address, o.address))),
          ]),
        ),
      ),
    ]);
    expect(totalMinted, where).to.equal(m.minted);
    m.operators.forEach((o, i) => {
      const [staked, details, delegatedTotal] = perOperator[i];
      // an operator's stake = its own + what is delegated to it
      expect(staked, where).to.equal(details.deployerStake + delegatedTotal);
      const delegatedSum = perDelegator.reduce((a, [, byOp]) => a + byOp[i], 0n);
      expect(delegatedTotal, where).to.equal(delegatedSum);
      expect(details.numberOfEndpoints, where).to.equal(BigInt(m.endpoints.get(o.address)!.length));
    });
    perDelegator.forEach(([total, byOp]) => expect(total, where).to.equal(byOp.reduce((a, b) => a + b, 0n)));
  }

  /** Bounds: each operator deposit keeps the total under the maximum, each withdrawal the own stake over the minimum. */
  async function checkBounds(name: string, o: Wallet, where: string) {
    const [d, total] = await Promise.all([m.admin.factory.getServiceProviderDetails(o.address), m.admin.staking.totalStakedFor(o.address)]);
    if (["register", "increaseStake", "delegateStake"].includes(name)) expect(total <= d.maxAccountStake, `${where}: total ${total} above ${d.maxAccountStake}`).to.equal(true);
    if (["register", "requestDecreaseStake", "decreaseStake"].includes(name) && d.numberOfEndpoints > 0n) {
      expect(d.deployerStake >= d.minAccountStake, `${where}: own ${d.deployerStake} below ${d.minAccountStake}`).to.equal(true);
    }
  }

  return { checkInvariants, checkComposition, checkBounds };
}
