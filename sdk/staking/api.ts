import type { AsixClient } from "../client";
import type { StakingApi } from "./index";

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
type Missing = Exclude<keyof StakingApi, (typeof METHODS)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

export type { StakingApi };

export function createStakingApi(client: AsixClient): StakingApi {
  let api: Promise<StakingApi> | undefined;
  const load = () => (api ??= import("./index.js").then((m) => m.createStakingApi(client)));
  return Object.fromEntries(
    METHODS.map((name) => [name, async (...args: unknown[]) => ((await load())[name] as (...a: unknown[]) => unknown)(...args)]),
  ) as unknown as StakingApi;
}
