import type { AsixClient } from "../client";
import type { GovernanceApi } from "./index";

/**
 * `asix.governance` as the SDK's entry builds it: ./index's methods, loading the governance code
 * (ethers, the contract ABIs) on first call.
 */
const METHODS = ["propose", "vote", "evaluate", "get", "list"] as const satisfies ReadonlyArray<keyof GovernanceApi>;

type Missing = Exclude<keyof GovernanceApi, (typeof METHODS)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

export type { GovernanceApi };

export function createGovernanceApi(client: AsixClient): GovernanceApi {
  let api: Promise<GovernanceApi> | undefined;
  const load = () => (api ??= import("./index.js").then((m) => m.createGovernanceApi(client)));
  return Object.fromEntries(
    METHODS.map((name) => [name, async (...args: unknown[]) => ((await load())[name] as (...a: unknown[]) => unknown)(...args)]),
  ) as unknown as GovernanceApi;
}
