import { controlRequest, type DevnetState } from "../devnet";

/**
 * Call the running devnet's supervisor over its control API (devnet.json's `control` URL), for
 * what only the process holding the chains can do: snapshots, the clock. The routes answer
 * `{data}`; a refusal comes back as the AsixError the API answered with.
 */
export async function callDevnetControl<T>(state: DevnetState, method: "GET" | "POST", route: string, body?: unknown): Promise<T> {
  return (await controlRequest<{ data: T }>(state, method, route.startsWith("/") ? route : `/${route}`, body)).data;
}
