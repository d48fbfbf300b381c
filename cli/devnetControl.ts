import { AsixError, HTTP_STATUS_OF, type AsixErrorCode } from "../sdk/errors";
import type { DevnetState } from "../devnet/state";

/**
 * Call the running devnet's supervisor over its control channel (devnet.json's `control` URL), for
 * what only the process holding the chains can do: snapshots, the clock. Its `{error:{code,message}}`
 * answers come back as AsixErrors with the same code.
 */
export async function callDevnetControl<T>(state: DevnetState, method: "GET" | "POST", route: string, body?: unknown): Promise<T> {
  const control = (state as DevnetState & { control?: string }).control;
  if (!control) {
    throw new AsixError("NODE_UNAVAILABLE", `the devnet in ${state.dir} has no control channel (devnet.json names no "control" URL): start it with asix devnet up`);
  }
  let res: Response;
  try {
    res = await fetch(new URL(route.replace(/^\//, ""), control.endsWith("/") ? control : `${control}/`), {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new AsixError("NODE_UNAVAILABLE", `cannot reach the devnet's control channel at ${control}`, { cause });
  }
  const answer = (await res.json().catch(() => undefined)) as { data?: T; error?: { code?: string; message?: string } } | undefined;
  if (!res.ok || answer?.data === undefined) {
    const code = answer?.error?.code;
    throw new AsixError(code && code in HTTP_STATUS_OF ? (code as AsixErrorCode) : "INTERNAL", answer?.error?.message ?? `the devnet's control channel answered ${res.status}`);
  }
  return answer.data;
}
