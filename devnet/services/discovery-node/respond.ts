import type { Request, Response } from "express";
import type { Wallet } from "ethers";
import { AsixError } from "../../../sdk/errors";
import { decodeHashId } from "../../../sdk/hashids";
import { signData } from "../../../sdk/signatures";
import { PROTOCOL_VERSION, type NetworkContentNode } from "../../../sdk/protocol/health";
import type { Db } from "./db";
import type { CorsOrigins } from "../cors";
import type { Indexer } from "./indexer";
import type { Page } from "./search";
import type { ViewContext } from "./views";
import type { OwnedNodeRef } from "../../../sdk/protocol/nodes";

/** What every route needs: the index, the indexer's view of the chain, and the node's identity. */
export interface NodeState {
  db: Db;
  indexer: Pick<Indexer, "latestChainBlock" | "latestIndexedBlock" | "chainHealthy">;
  wallet: Wallet;
  identityUrl: string;
  rpcUrl: string;
  contentNodes: () => string[] | Promise<string[]>;
  /** the same content nodes with their registry records, for /health_check's network list */
  networkContentNodes: () => NetworkContentNode[] | Promise<NetworkContentNode[]>;
  discoveryNodes: () => OwnedNodeRef[] | Promise<OwnedNodeRef[]>;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** bumped on every change the indexer does not see (plays), so cached responses stay exact */
  offChainVersion: number;
  /** web origins whose pages may call the node; default any */
  corsOrigins?: CorsOrigins;
}

export async function viewContext(state: NodeState): Promise<ViewContext> {
  return { db: state.db, contentNodes: await state.contentNodes() };
}

/**
 * `{data}`, or on the `/v1/full` twin `{data, latest_chain_block, latest_indexed_block, signature,
 * timestamp, version}` where signature = EIP-191 over canonicalJson({data, timestamp}).
 */
export async function send(state: NodeState, req: Request, res: Response, data: unknown): Promise<void> {
  if (!req.baseUrl.startsWith("/v1/full")) {
    res.json({ data });
    return;
  }
  const timestamp = new Date().toISOString();
  res.json({
    data,
    latest_chain_block: state.indexer.latestChainBlock,
    latest_indexed_block: state.indexer.latestIndexedBlock,
    signature: await signData(state.wallet, { data, timestamp }),
    timestamp,
    version: { service: "discovery-node", version: PROTOCOL_VERSION },
  });
}

const responseCache = new WeakMap<NodeState, { version: string; entries: Map<string, string> }>();
const RESPONSE_CACHE_MAX = 10_000;

function cacheVersion(state: NodeState, contentNodes: string[]): string {
  return `${state.indexer.latestIndexedBlock}:${state.offChainVersion}:${contentNodes.join(",")}`;
}

/**
 * The cached body for a request URL, if there is one for the index as it is now; used by the
 * HTTP fast path ahead of express. Undefined when the content node list is only known async.
 */
export function lookupCached(state: NodeState, url: string): string | undefined {
  const cache = responseCache.get(state);
  if (!cache) return undefined;
  const nodes = state.contentNodes();
  if (!Array.isArray(nodes) || cache.version !== cacheVersion(state, nodes)) return undefined;
  return cache.entries.get(url);
}

/**
 * `{data}` for a hot GET (an entity by id, trending), served from a cache of serialized bodies that is dropped
 * whenever the index changes (a new indexed block or a play) or the content node list changes
 * (image URLs depend on it). The /v1/full twin is never cached: it is signed per request.
 */
export async function sendCached(state: NodeState, req: Request, res: Response, compute: (ctx: ViewContext) => Promise<unknown>): Promise<void> {
  const ctx = await viewContext(state);
  if (req.baseUrl.startsWith("/v1/full")) return send(state, req, res, await compute(ctx));
  const version = cacheVersion(state, ctx.contentNodes);
  let cache = responseCache.get(state);
  if (!cache || cache.version !== version) responseCache.set(state, (cache = { version, entries: new Map() }));
  const key = req.originalUrl;
  let body = cache.entries.get(key);
  if (body === undefined) {
    body = JSON.stringify({ data: await compute(ctx) });
    if (cache.entries.size >= RESPONSE_CACHE_MAX) cache.entries.clear();
    if (key.length <= 512) cache.entries.set(key, body);
  }
  res.type("application/json").send(body);
}

/** `offset` (default 0) and `limit` (default 100, max 500). */
export function paging(req: Request): Page {
  const num = (name: string, fallback: number, max: number) => {
    const raw = req.query[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (typeof raw !== "string" || !Number.isInteger(n) || n < 0) throw new AsixError("INVALID_INPUT", `${name} must be a non-negative integer`);
    return Math.min(n, max);
  };
  return { offset: num("offset", 0, Number.MAX_SAFE_INTEGER), limit: num("limit", 100, 500) };
}

/** A hashid path parameter as an integer id; 400 when it is not a hashid. */
export function idParam(req: Request, name = "id"): number {
  const raw = String(req.params[name] ?? "");
  const id = decodeHashId(raw);
  if (id === undefined) throw new AsixError("INVALID_INPUT", `"${raw.slice(0, 64)}" is not a valid id (hashid)`);
  return id;
}

export function queryString(req: Request, name: string, required = false): string | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === "") {
    if (required) throw new AsixError("INVALID_INPUT", `query parameter ${name} is required`);
    return undefined;
  }
  if (typeof raw !== "string") throw new AsixError("INVALID_INPUT", `query parameter ${name} must be given once`);
  if (raw.length > 1000) throw new AsixError("INVALID_INPUT", `query parameter ${name} is too long`);
  return raw;
}

export function notFound(what: string, id: number): AsixError {
  return new AsixError("NOT_FOUND", `${what} ${id} not found`);
}
