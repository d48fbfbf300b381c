import { serviceTypeBytes32 } from "./protocol";
import type { AsixClient } from "../client";
import { call, ethChain } from "./contracts";
import { SERVICE_TYPES, type ServiceType } from "./reads";

/** The rules Governance currently sets. Blocks for durations, wei for amounts. */
export interface StakingParameters {
  /** per-node stake bounds of each service type */
  serviceTypes: Record<
    ServiceType,
    {
      /** what each registered node of this type adds to its owner's minimum stake, in wei */
      minStake: bigint;
      /** what each registered node of this type adds to its owner's maximum stake, in wei */
      maxStake: bigint;
      /** whether ServiceTypeManager lists the type as valid */
      isValid: boolean;
    }
  >;
  /** blocks between requestDecreaseStake and decreaseStake */
  decreaseStakeLockup: number;
  /** blocks between requestUpdateDeployerCut and updateDeployerCut */
  deployerCutLockup: number;
  /** blocks between requestUndelegate and undelegate */
  undelegateLockup: number;
  /** blocks before an operator's removal of a delegator takes effect */
  removeDelegatorLockup: number;
  /** the smallest delegation, wei */
  minDelegation: bigint;
  /** the most delegators one operator may have */
  maxDelegators: number;
  /** the fewest blocks between two funding rounds */
  fundingRoundBlocks: number;
  /** what each round pays out, wei */
  fundingAmount: bigint;
  /** the current funding round (0: none yet) and the block it started */
  roundNumber: number;
  /** the block the current round started in */
  lastFundedBlock: number;
  /** blocks a proposal takes votes */
  votingPeriod: number;
  /** blocks after the voting period before evaluation */
  executionDelay: number;
  /** the share of all stake that must vote for a proposal to pass, percent */
  quorumPercent: number;
}

/** Every staking, reward and governance parameter, read from the contracts. */
export async function getParameters(client: AsixClient): Promise<StakingParameters> {
  const { read } = ethChain(client);
  return call({ action: "getParameters" }, async () => {
    const types = await Promise.all(SERVICE_TYPES.map((t) => read.serviceTypeManager.getServiceTypeInfo(serviceTypeBytes32(t))));
    const [decrease, cutLockup, undelegate, remove, minDelegation, maxDelegators, roundBlocks, funding, round, lastFunded, voting, delay, quorum] =
      await Promise.all([
        read.factory.decreaseStakeLockupDuration(),
        read.factory.deployerCutLockupDuration(),
        read.delegateManager.undelegateLockupDuration(),
        read.delegateManager.removeDelegatorLockupDuration(),
        read.delegateManager.minDelegationAmount(),
        read.delegateManager.maxDelegators(),
        read.claimsManager.fundingRoundBlockDiff(),
        read.claimsManager.fundingAmount(),
        read.claimsManager.roundNumber(),
        read.claimsManager.lastFundedBlock(),
        read.governance.votingPeriod(),
        read.governance.executionDelay(),
        read.governance.quorumPercent(),
      ]);
    return {
      serviceTypes: Object.fromEntries(
        SERVICE_TYPES.map((t, i) => [t, { minStake: types[i].minStake, maxStake: types[i].maxStake, isValid: types[i].isValid }]),
      ) as StakingParameters["serviceTypes"],
      decreaseStakeLockup: Number(decrease),
      deployerCutLockup: Number(cutLockup),
      undelegateLockup: Number(undelegate),
      removeDelegatorLockup: Number(remove),
      minDelegation,
      maxDelegators: Number(maxDelegators),
      fundingRoundBlocks: Number(roundBlocks),
      fundingAmount: funding,
      roundNumber: Number(round),
      lastFundedBlock: Number(lastFunded),
      votingPeriod: Number(voting),
      executionDelay: Number(delay),
      quorumPercent: Number(quorum),
    };
  });
}
