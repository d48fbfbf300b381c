import { AsixError } from "./errors";
import { requestJson, type CallOptions, type HttpRequest } from "./http";
import { encodeHashId, toEntityId } from "./hashids";
import type { AsixClient } from "./client";
import { camelize, type Camelized } from "./casing";
import { withDiscoveryNode } from "./selection";

/** Paging for list reads, with the call's signal and timeout. */
export interface ListParameters extends CallOptions {
  /** default 0 */
  offset?: number;
  /** default 100, max 500 */
  limit?: number;
}

/**
 * GET a discovery `/v1/...` path, unwrap `{data}` and camelize it: the one place where discovery
 * wire models (snake_case, `W`) become the SDK's return values (camelCase).
 */
export async function getData<W>(
  client: AsixClient,
  path: string,
  query?: HttpRequest["query"],
  context = `GET ${path}`,
  options: CallOptions = {},
): Promise<Camelized<W>> {
  const body = await withDiscoveryNode(
    client.selection,
    (node, budget) => requestJson<{ data: W }>(client, { url: `${node}${path}`, query, signal: options.signal, timeoutMs: budget.timeoutMs ?? options.timeoutMs }, context),
    { idempotent: true, signal: options.signal, timeoutMs: options.timeoutMs },
  );
  return camelize(body.data);
}

/** The hashid for an id given as an integer or a hashid (INVALID_INPUT otherwise). */
export function hashIdOf(id: number | bigint | string, what: string): string {
  return encodeHashId(toEntityId(id, what));
}

export function pagingOf(params: ListParameters = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of ["offset", "limit"] as const) {
    const v = params[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < 0) throw new AsixError("INVALID_INPUT", `${key} must be a non-negative integer`);
    out[key] = v;
  }
  return out;
}

/** A fresh entity id from the discovery node (§1): integer. */
export async function unclaimedId(client: AsixClient, kind: "users" | "tracks" | "playlists", options: CallOptions = {}): Promise<number> {
  const hashid = await getData<string>(client, `/v1/${kind}/unclaimed_id`, undefined, undefined, options);
  return toEntityId(hashid, `unclaimed ${kind} id`);
}
