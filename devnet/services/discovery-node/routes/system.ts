import { randomInt } from "node:crypto";
import express, { Router } from "express";
import { AsixError } from "../../../../sdk/errors";
import { encodeHashId } from "../../../../sdk/hashids";
import { PROTOCOL_VERSION, signHealth, type DiscoveryHealthData } from "../../../../sdk/protocol/health";
import { JsonRpc } from "../rpc";
import { queryString, send, type NodeState } from "../respond";
import { toNetworkDiscoveryNode } from "../../../../sdk/protocol/nodes";

/** PROTOCOL.md §1 id offsets; free ids are drawn at random above them (below 2^31, like int32 clients expect). */
export const ID_OFFSETS = { users: 3_000_000, tracks: 2_000_000, playlists: 400_000 } as const;
const ID_CEILING = 2 ** 31 - 1;
const TABLES = { users: ["users", "user_id"], tracks: ["tracks", "track_id"], playlists: ["playlists", "playlist_id"] } as const;

/** A node is healthy while it is at most this many blocks behind the chain. */
export const HEALTHY_BLOCK_DIFFERENCE = 10;

/** `/v1/{users,tracks,playlists}/unclaimed_id` and `/v1/transactions/:txhash` (mounted under /v1 and /v1/full). */
export function idsRouter(state: NodeState): Router {
  const r = Router();
  for (const kind of Object.keys(ID_OFFSETS) as Array<keyof typeof ID_OFFSETS>) {
    r.get(`/${kind}/unclaimed_id`, async (req, res) => {
      const [table, key] = TABLES[kind];
      // Random in a range of ~2·10^9, so concurrent clients practically never draw the same id.
      for (;;) {
        const id = randomInt(ID_OFFSETS[kind], ID_CEILING);
        if (!(await state.db.get(`SELECT 1 FROM ${table} WHERE ${key} = ?`, [id]))) return send(state, req, res, encodeHashId(id));
      }
    });
  }

  /** The outcome of every action in a transaction: applied, ignored or rejected with the reason. */
  r.get("/transactions/:txhash", async (req, res) => {
    const txhash = String(req.params.txhash).toLowerCase();
    if (!/^0x[0-9a-f]{64}$/.test(txhash)) throw new AsixError("INVALID_INPUT", "txhash must be 0x and 64 hex digits");
    const rows = (await state.db.all("SELECT * FROM actions WHERE lower(txhash) = ? ORDER BY blocknumber, log_index", [txhash]));
    if (rows.length === 0) throw new AsixError("NOT_FOUND", `no indexed action in transaction ${txhash}`);
    await send(state, req, res, rows);
  });
  return r;
}

/** `/block_confirmation`, `/health_check` and `POST /relay` (top level). */
export function systemRouter(state: NodeState): Router {
  const r = Router();
  const rpc = new JsonRpc(state.rpcUrl, 5_000);

  r.get("/block_confirmation", async (req, res) => {
    const number = Number(queryString(req, "blocknumber", true));
    const hash = queryString(req, "blockhash", true)!.toLowerCase();
    if (!Number.isSafeInteger(number) || number < 0) throw new AsixError("INVALID_INPUT", "blocknumber must be a non-negative integer");
    if (!/^0x[0-9a-f]{64}$/.test(hash)) throw new AsixError("INVALID_INPUT", "blockhash must be 0x and 64 hex digits");
    const indexed = state.indexer.latestIndexedBlock;
    const passed = indexed >= number;
    let found = false;
    if (passed) {
      const known =
        (await state.db.get<{ hash: string }>("SELECT hash FROM blocks WHERE number = ?", [number]))?.hash ??
        (await state.db.get<{ last_block_hash: string }>("SELECT last_block_hash FROM indexing_checkpoint WHERE last_block = ?", [number]))?.last_block_hash;
      if (known !== undefined) found = known.toLowerCase() === hash;
      else {
        const block = await rpc.call<{ hash: string } | null>("eth_getBlockByNumber", ["0x" + number.toString(16), false]).catch(() => null);
        found = block?.hash?.toLowerCase() === hash;
      }
    }
    res.json({ data: { block_found: found, block_passed: passed } });
  });

  r.get("/health_check", async (_req, res) => {
    const { latestChainBlock, latestIndexedBlock, chainHealthy } = state.indexer;
    const blockDifference = Math.max(0, latestChainBlock - latestIndexedBlock);
    const [contentNodes, discoveryNodes] = await Promise.all([state.networkContentNodes(), state.discoveryNodes()]);
    const data: DiscoveryHealthData = {
      healthy: chainHealthy && blockDifference <= HEALTHY_BLOCK_DIFFERENCE,
      service: "discovery-node",
      version: PROTOCOL_VERSION,
      block_difference: blockDifference,
      latest_chain_block: latestChainBlock,
      latest_indexed_block: latestIndexedBlock,
      chain_health: { status: chainHealthy ? "Healthy" : "Unhealthy" },
      network: {
        content_nodes: contentNodes,
        // PROTOCOL.md §8 names the owner `ownerWallet` in this list.
        discovery_nodes_with_owner: discoveryNodes.map(toNetworkDiscoveryNode),
      },
    };
    res.json(await signHealth(state.wallet, data, { comms: { healthy: true } }));
  });

  /** Forwarded as is to the identity service; its status and body come back unchanged. */
  r.post("/relay", express.json({ limit: "2mb" }), async (req, res) => {
    let upstream: Response;
    try {
      upstream = await fetch(`${state.identityUrl.replace(/\/+$/, "")}/relay`, {
        method: "POST",
        // as a proxy does, so an identity service that trusts this node limits the client, not the node
        headers: { "content-type": "application/json", "x-forwarded-for": [req.headers["x-forwarded-for"], req.socket.remoteAddress].filter(Boolean).join(", ") },
        body: JSON.stringify(req.body ?? {}),
        signal: AbortSignal.timeout(120_000),
      });
    } catch (cause) {
      throw new AsixError("NODE_UNAVAILABLE", "identity service unreachable", { cause });
    }
    const body = await upstream.text();
    const retryAfter = upstream.headers.get("retry-after");
    if (retryAfter) res.set("Retry-After", retryAfter);
    res.status(upstream.status).type(upstream.headers.get("content-type") ?? "application/json").send(body);
  });
  return r;
}
