import type { AsixClient } from "../client";
import type { GovernanceApi } from "./api";
import { lazyApi, type Complete } from "../lazyApi";

/**
 * `asix.governance` as the SDK's entry builds it: ./index's methods, loading the governance code
 * (ethers, the contract ABIs) on first call.
 */
const METHODS = ["propose", "vote", "evaluate", "get", "list"] as const satisfies ReadonlyArray<keyof GovernanceApi>;

const complete: Complete<GovernanceApi, (typeof METHODS)[number]> = true;
void complete;

export type { GovernanceApi };

/** `asix.governance` for a client: each method loads the governance code on its first call. */
export function createGovernanceApi(client: AsixClient): GovernanceApi {
  return lazyApi<GovernanceApi>(METHODS, () => import("./index.js").then((m) => m.createGovernanceApi(client)));
}
