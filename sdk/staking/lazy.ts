import type { AsixClient } from "../client";
import type { StakingApi } from "./api";
import { lazyApi, type Complete } from "../lazyApi";

/**
 * `asix.staking` as the SDK's entry builds it: the same methods as ./index's createStakingApi,
 * each loading the staking code (and with it ethers and the contract ABIs) on its first call, so
 * an app that never stakes never loads them.
 */
const METHODS = [
  "balanceOf",
  "getServiceProvider",
  "listServiceProviders",
  "resolveServiceProvider",
  "getDelegators",
  "getPendingDecreaseStake",
  "getPendingUndelegate",
  "getClaimable",
  "getParameters",
  "register",
  "deregister",
  "increaseStake",
  "requestDecreaseStake",
  "decreaseStake",
  "cancelDecreaseStake",
  "updateEndpoint",
  "delegate",
  "requestUndelegate",
  "undelegate",
  "cancelUndelegate",
  "requestUpdateDeployerCut",
  "updateDeployerCut",
  "claimRewards",
  "initiateRound",
  "transfer",
] as const satisfies ReadonlyArray<keyof StakingApi>;

// Fails to compile when createStakingApi gains a method this list lacks.
const complete: Complete<StakingApi, (typeof METHODS)[number]> = true;
void complete;

export type { StakingApi };

/** `asix.staking` for a client: each method loads the staking code (ethers, the ABIs) on its first call. */
export function createStakingApi(client: AsixClient): StakingApi {
  return lazyApi<StakingApi>(METHODS, () => import("./index.js").then((m) => m.createStakingApi(client)));
}
