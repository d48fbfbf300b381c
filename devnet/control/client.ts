import { AsixError, errorFromResponse } from "../../sdk/errors";
import type { DevnetState } from "../state";

/**
 * Ask a running devnet's control API (what `asix devnet status|node …` do). A refusal comes back
 * as the AsixError the API answered with; a devnet without the API is NODE_UNAVAILABLE.
 */
export async function controlRequest<T>(state: Pick<DevnetState, "control" | "dir">, method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  if (!state.control) throw new AsixError("NODE_UNAVAILABLE", `the devnet in ${state.dir} serves no control API (start it with: npx asix devnet up)`);
  let res: Response;
  try {
    res = await fetch(`${state.control}${path}`, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (cause) {
    throw new AsixError("NODE_UNAVAILABLE", `the devnet's control API at ${state.control} does not answer`, { cause });
  }
  const answer = (await res.json().catch(() => undefined)) as unknown;
  if (!res.ok) throw errorFromResponse(res.status, answer, `devnet control ${method} ${path}`);
  return answer as T;
}
