import { rendezvousRank, replicaSet } from "../../../sdk/rendezvous";
import { AsixError } from "../../../sdk/errors";
import { isCid } from "../../../sdk/cid";
import type { RequestHandler } from "express";
import { sameEndpoint, type NodeContext } from "./context";
import { peerHasBlob, peerHealthy, pushBlob } from "./peerClient";
import { sniffContentType } from "./sniff";

/**
 * Placement by rendezvous hashing: each blob belongs on the R highest-ranked content nodes for its
 * CID. The node that receives an upload pushes each blob there (`PUT /internal/blobs/:cid`, verified
 * by the receiver), and drops its own copy once the R owners have it. A repair loop re-checks every
 * local blob, which is what brings a restarted node back to its share.
 */
export function createReplicator(ctx: NodeContext) {
  const { settings, store, db } = ctx;
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let repairing: Promise<void> | undefined;
  let stopped = false;

  const track = <T>(p: Promise<T>) => {
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  /** Blobs an unfinished transcode still needs: never dropped even when not ours. */
  const pinned = () => new Set(db.unfinishedUploads().map((u) => u.orig_file_cid));

  /** Make sure the replica set of `cid` holds it; drop our copy when we are not one of them. */
  async function placeOne(cid: string, peers: string[], keep: Set<string>): Promise<void> {
    const blob = store.get(cid);
    if (!blob || stopped) return;
    const owners = replicaSet(peers, cid, settings.replicationFactor);
    let confirmed = 0;
    for (const owner of owners) {
      if (sameEndpoint(owner, ctx.self)) {
        confirmed++;
        continue;
      }
      if (await peerHasBlob(owner, cid)) {
        confirmed++;
        continue;
      }
      try {
        const answer = await pushBlob(owner, cid, blob.path, blob.size);
        if (answer.status >= 200 && answer.status < 300) confirmed++;
        else settings.log("replica refused", { cid, owner, status: answer.status, body: answer.body.slice(0, 200) });
      } catch (err) {
        settings.log("replica unreachable", { cid, owner, error: String(err) });
      }
    }
    const mine = owners.some((o) => sameEndpoint(o, ctx.self));
    if (!mine && confirmed === owners.length && owners.length > 0 && !keep.has(cid) && !stopped) {
      await store.remove(cid);
      settings.log("handed off blob", { cid, owners });
    }
  }

  async function placeAll(cids: string[]): Promise<void> {
    const peers = await settings.peers();
    // Until the peer list names this node, its view of the network is incomplete: move nothing.
    if (!peers.some((p) => sameEndpoint(p, ctx.self))) return;
    const keep = pinned();
    for (const cid of cids) await placeOne(cid, peers, keep);
  }

  function replicate(cids: string[]): void {
    track(placeAll(cids).catch((err) => settings.log("replication failed", { error: String(err) })));
  }

  /** One pass: peers' health, then every local blob placed. */
  async function repairOnce(): Promise<void> {
    const peers = await settings.peers();
    const checks = peers.filter((p) => !sameEndpoint(p, ctx.self)).map(async (peer) => {
      ctx.peerHealths[peer] = { healthy: await peerHealthy(peer), checkedAt: new Date().toISOString() };
    });
    await Promise.all(checks);
    await placeAll(store.list().map((b) => b.cid));
  }

  function repair(): Promise<void> {
    repairing ??= track(repairOnce())
      .catch((err) => settings.log("repair failed", { error: String(err) }))
      .finally(() => (repairing = undefined));
    return repairing;
  }

  async function findHolder(cid: string): Promise<string | undefined> {
    const peers = (await settings.peers()).filter((p) => !sameEndpoint(p, ctx.self));
    for (const peer of rendezvousRank(peers, cid)) {
      if (await peerHasBlob(peer, cid, 1000)) return peer;
    }
    return undefined;
  }

  return {
    replicate,
    repair,
    findHolder,
    start() {
      timer = setInterval(() => void repair(), settings.repairIntervalMs);
      timer.unref();
      void repair();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** `HEAD /internal/blobs/:cid`: 200 when this node itself holds the blob, never a redirect. */
export function headInternalBlob(ctx: NodeContext): RequestHandler {
  return (req, res) => {
    const cid = String(req.params.cid);
    if (!isCid(cid)) throw new AsixError("INVALID_INPUT", "malformed CID");
    const blob = ctx.store.get(cid);
    res.status(blob ? 200 : 404).set("content-length", String(blob?.size ?? 0)).end();
  };
}

/**
 * `PUT /internal/blobs/:cid`: a peer pushes a blob. Accepted only when this node is in the CID's
 * replica set, and only when the bytes hash to that CID; otherwise 4xx and nothing is kept.
 */
export function receiveInternalBlob(ctx: NodeContext): RequestHandler {
  return async (req, res) => {
    const cid = String(req.params.cid);
    if (!isCid(cid)) throw new AsixError("INVALID_INPUT", "malformed CID");
    if (ctx.store.get(cid)) {
      req.resume();
      res.status(200).json({ data: { cid, stored: false, reason: "already held" } });
      return;
    }
    const owners = replicaSet(await ctx.settings.peers(), cid, ctx.settings.replicationFactor);
    if (!owners.some((o) => sameEndpoint(o, ctx.self))) {
      req.resume();
      throw new AsixError("CONFLICT", "this node is not in the replica set of that CID");
    }
    const maxBytes = Math.max(ctx.settings.maxAudioBytes, ctx.settings.maxImageBytes);
    const file = await ctx.store.ingest(req, { maxBytes });
    if (file.cid !== cid) {
      await ctx.store.discard(file.tmpPath);
      throw new AsixError("INVALID_INPUT", `the bytes hash to ${file.cid}, not ${cid}`);
    }
    await ctx.store.commit(file.tmpPath, cid, file.size, sniffContentType(file.head));
    res.status(201).json({ data: { cid, stored: true, size: file.size } });
  };
}
