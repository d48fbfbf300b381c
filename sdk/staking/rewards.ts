import type { AsixClient } from "../client";
import { ethSigner, findEvent, send, txResult, writeBudget, type TransactionResult, type WriteOptions } from "./contracts";
import { addressOrWallet } from "./reads";

export interface ClaimRewardsResult extends TransactionResult {
  /** the operator whose reward was claimed */
  serviceProvider: string;
  /** the round claimed */
  round: number;
  /** the whole reward, wei */
  rewards: bigint;
  /** what the operator got (its pro-rata share plus its cut of the delegators'), wei */
  deployerReward: bigint;
  /** what the delegators got together, wei */
  delegatorsReward: bigint;
}

/** Claim a service provider's reward for the current round (default: the wallet's); anyone may. */
export async function claimRewards(client: AsixClient, serviceProvider?: string, options?: WriteOptions): Promise<ClaimRewardsResult> {
  const budget = writeBudget(options, "staking.claimRewards");
  const sp = await addressOrWallet(client, serviceProvider, "service provider");
  const { chain, signer, contracts } = ethSigner(client, "staking.claimRewards");
  // with no round or nothing pending the claim reverts NoActiveRound / NoClaimPending
  const receipt = await send({ action: "claimRewards" }, signer, () => contracts.delegateManager.claimRewards(sp), budget);
  const claimed = findEvent(receipt, contracts.delegateManager.interface, chain.addresses.delegateManager, "RewardsClaimed");
  const processed = findEvent(receipt, contracts.claimsManager.interface, chain.addresses.claimsManager, "ClaimProcessed");
  return {
    ...txResult(receipt),
    serviceProvider: sp,
    round: Number(processed.args.roundNumber),
    rewards: claimed.args.rewards as bigint,
    deployerReward: claimed.args.deployerReward as bigint,
    delegatorsReward: claimed.args.delegatorsReward as bigint,
  };
}

/** Start the next funding round (anyone may, once per round interval). */
export async function initiateRound(client: AsixClient, options?: WriteOptions): Promise<
  TransactionResult & {
    /** the number of the round just started */
    round: number;
    /** the reward minted for the round, in wei */
    fundedAmount: bigint;
  }
> {
  const budget = writeBudget(options, "staking.initiateRound");
  const { chain, signer, contracts } = ethSigner(client, "staking.initiateRound");
  const receipt = await send({ action: "initiateRound" }, signer, () => contracts.claimsManager.initiateRound(), budget);
  const event = findEvent(receipt, contracts.claimsManager.interface, chain.addresses.claimsManager, "RoundInitiated");
  return { ...txResult(receipt), round: Number(event.args.roundNumber), fundedAmount: event.args.fundedAmount as bigint };
}
