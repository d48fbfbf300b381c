import { rendezvousRank, replicaSet } from "../../../sdk/rendezvous";
import { AsixError } from "../../../sdk/errors";
import { isCid } from "../../../sdk/cid";
import { Readable } from "node:stream";
import type { RequestHandler } from "express";
import { sameEndpoint, type NodeContext } from "./context";
import { createPeerSigner, peerHasBlob, peerHealthy, peerHoldings, pushBlob } from "./peerClient";
import { MAX_WAVEFORM_BYTES, sniffAudio, sniffContentType, sniffImage, sniffWaveform } from "./sniff";

/** Bytes the background scrub may rehash per repair round (a few ms of CPU at ~1 GB/s). */
const SCRUB_BYTES_PER_ROUND = 32 * 1024 * 1024;

/**
 * Placement by rendezvous hashing: each blob belongs on the R highest-ranked content nodes for its
 * CID. The node that receives an upload pushes each blob there (`PUT /internal/blobs/:cid`, verified
 * by the receiver), and drops its own copy once the R owners have it. A repair loop re-checks every
 * local blob, which is what brings a restarted node back to its share.
 */
export function createReplicator(ctx: NodeContext) {
  const { settings, store, db, reader } = ctx;
  const signer = createPeerSigner(settings.wallet);
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let repairing: Promise<void> | undefined;
  let stopped = false;
  /**
   * Bumped by anything a repair round should follow up on soon: a push or hand-off a round made,
   * a push that failed, a peer's health changing. A round that saw none lets the next one wait
   * twice as long, up to repairIdleIntervalMs, so an idle network is not re-checked every second.
   * A new upload's blobs placed without a hitch are not among them: a round would only find them
   * placed, and asking every peer about every blob each second, while a seed or a batch of uploads
   * runs, cost the node more than the placements themselves.
   */
  let activity = 0;
  let delay = settings.repairIntervalMs;

  const track = <T>(p: Promise<T>) => {
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  /** Blobs an unfinished transcode still needs: never dropped even when not ours. */
  const pinned = () => new Set(db.unfinishedUploads().map((u) => u.orig_file_cid));

  /**
   * Make sure the replica set of `cid` holds it; drop our copy when we are not one of them. Our
   * copy is opened through the verified reader and pushed chunk by chunk as it is checked, so a
   * damaged copy is quarantined here instead of being spread.
   */
  async function placeOne(cid: string, peers: string[], keep: Set<string>, held: Map<string, Set<string>>, fresh: boolean): Promise<void> {
    if (stopped || !store.get(cid)) return;
    const owners = replicaSet(peers, cid, settings.replicationFactor);
    let confirmed = 0;
    for (const owner of owners) {
      if (sameEndpoint(owner, ctx.self)) {
        if (await reader.check(cid, false)) confirmed++;
        continue;
      }
      if (held.get(owner)?.has(cid)) {
        confirmed++;
        continue;
      }
      const blob = await reader.open(cid).catch(() => undefined);
      if (!blob) return; // gone or quarantined: nothing of ours to place
      try {
        const body = Readable.from(reader.read(blob, 0, blob.size - 1), { objectMode: false });
        if (!fresh) activity++;
        const answer = await pushBlob(signer, owner, cid, body, blob.size);
        if (answer.status >= 200 && answer.status < 300) confirmed++;
        else {
          settings.log("replica refused", { cid, owner, status: answer.status, body: answer.body.slice(0, 200) });
          followUp();
        }
      } catch (err) {
        settings.log("replica unreachable", { cid, owner, error: String(err) });
        followUp();
      } finally {
        await reader.close(blob);
      }
    }
    const mine = owners.some((o) => sameEndpoint(o, ctx.self));
    if (!mine && confirmed === owners.length && owners.length > 0 && !keep.has(cid) && !stopped) {
      await store.remove(cid);
      if (!fresh) activity++;
      settings.log("handed off blob", { cid, owners });
    }
  }

  /** Blobs taken up for placement (a new upload's, or a repair round's) and not yet placed. */
  let backlog = 0;

  async function placeAll(cids: string[], fresh = false): Promise<void> {
    backlog += cids.length;
    let left = cids.length;
    try {
      await placeEach(cids, fresh, () => {
        backlog--;
        left--;
      });
    } finally {
      backlog -= left;
    }
  }

  async function placeEach(cids: string[], fresh: boolean, placed: () => void): Promise<void> {
    const peers = await settings.peers();
    // Until the peer list names this node, its view of the network is incomplete: move nothing.
    if (!peers.some((p) => sameEndpoint(p, ctx.self))) return void (fresh && followUp());
    const keep = pinned();
    // One signed question per peer for the whole batch, not one per blob.
    const asks = new Map<string, string[]>();
    for (const cid of cids) {
      for (const owner of replicaSet(peers, cid, settings.replicationFactor)) {
        if (!sameEndpoint(owner, ctx.self)) asks.set(owner, [...(asks.get(owner) ?? []), cid]);
      }
    }
    const held = new Map<string, Set<string>>();
    await Promise.all([...asks].map(async ([owner, asked]) => held.set(owner, await peerHoldings(signer, owner, asked))));
    for (const cid of cids) {
      await placeOne(cid, peers, keep, held, fresh);
      placed();
    }
  }

  /** Something a repair round should look at soon: the next round comes at the base pace. */
  function followUp(): void {
    activity++;
    delay = settings.repairIntervalMs;
  }

  function replicate(cids: string[]): void {
    track(
      placeAll(cids, true).catch((err) => {
        settings.log("replication failed", { error: String(err) });
        followUp();
      }),
    );
  }

  /** One pass: peers' health, every local blob checked and placed, then a share of the scrub. */
  async function repairOnce(): Promise<void> {
    const peers = await settings.peers();
    const checks = peers.filter((p) => !sameEndpoint(p, ctx.self)).map(async (peer) => {
      const healthy = await peerHealthy(peer);
      if (!healthy || ctx.peerHealths[peer]?.healthy !== healthy) activity++;
      ctx.peerHealths[peer] = { healthy, checkedAt: new Date().toISOString() };
    });
    await Promise.all(checks);
    await placeAll(store.list().map((b) => b.cid));
    if (!stopped) await reader.scrub(settings.scrubIntervalMs, SCRUB_BYTES_PER_ROUND);
  }

  function repair(): Promise<void> {
    repairing ??= track(repairOnce())
      .catch((err) => settings.log("repair failed", { error: String(err) }))
      .finally(() => (repairing = undefined));
    return repairing;
  }

  async function findHolder(cid: string, exclude: string[] = []): Promise<string | undefined> {
    const peers = (await settings.peers()).filter((p) => !sameEndpoint(p, ctx.self) && !exclude.some((e) => sameEndpoint(e, p)));
    for (const peer of rendezvousRank(peers, cid)) {
      if (await peerHasBlob(signer, peer, cid, 1000)) return peer;
    }
    return undefined;
  }

  return {
    replicate,
    repair,
    findHolder,
    backlog: () => backlog,
    start() {
      const round = async () => {
        const before = activity;
        await repair();
        if (stopped) return;
        delay = activity === before ? Math.min(delay * 2, Math.max(settings.repairIntervalMs, settings.repairIdleIntervalMs)) : settings.repairIntervalMs;
        timer = setTimeout(round, delay);
        timer.unref();
      };
      void round();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** `HEAD /internal/blobs/:cid` (behind requirePeer): 200 when this node itself holds a sound copy. */
export function headInternalBlob(ctx: NodeContext): RequestHandler {
  return async (req, res) => {
    const cid = String(req.params.cid);
    if (!isCid(cid)) throw new AsixError("INVALID_INPUT", "malformed CID");
    const size = ctx.store.get(cid)?.size;
    const sound = await ctx.reader.check(cid, false);
    res.status(sound ? 200 : 404).set("content-length", String(sound ? size : 0)).end();
  };
}

/** The most CIDs one `POST /internal/blobs` may ask about. */
export const MAX_HOLDINGS_QUERY = 5000;

/**
 * `POST /internal/blobs` (behind requirePeer) `{cids: [...]}` → `{data: {held: [...]}}`: which of
 * these this node itself holds a sound copy of (opened and checked as HEAD would), so the repair
 * loop asks each peer once per round instead of once per blob.
 */
export function blobHoldings(ctx: NodeContext): RequestHandler {
  return async (req, res) => {
    const cids: unknown = req.body?.cids;
    if (!Array.isArray(cids) || cids.length > MAX_HOLDINGS_QUERY || !cids.every(isCid)) {
      throw new AsixError("INVALID_INPUT", `body must be {cids: [...]} with at most ${MAX_HOLDINGS_QUERY} well-formed CIDs`);
    }
    const held: string[] = [];
    for (const cid of cids as string[]) if (await ctx.reader.check(cid, false)) held.push(cid);
    res.json({ data: { held } });
  };
}

/**
 * `PUT /internal/blobs/:cid` (behind requirePeer): a registered peer pushes a blob. Accepted only
 * when this node is in the CID's replica set, only for audio or images (the only blobs a node
 * makes) within their size limits, and only when the bytes hash to that CID; otherwise 4xx and
 * nothing is kept.
 */
export function receiveInternalBlob(ctx: NodeContext): RequestHandler {
  return async (req, res) => {
    const cid = String(req.params.cid);
    if (!isCid(cid)) throw new AsixError("INVALID_INPUT", "malformed CID");
    if (await ctx.reader.check(cid, false)) {
      req.resume();
      res.status(200).json({ data: { cid, stored: false, reason: "already held" } });
      return;
    }
    const owners = replicaSet(await ctx.settings.peers(), cid, ctx.settings.replicationFactor);
    if (!owners.some((o) => sameEndpoint(o, ctx.self))) {
      req.resume();
      throw new AsixError("CONFLICT", "this node is not in the replica set of that CID");
    }
    const { maxAudioBytes, maxImageBytes } = ctx.settings;
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > Math.max(maxAudioBytes, maxImageBytes)) {
      req.resume();
      throw new AsixError("PAYLOAD_TOO_LARGE", `a blob is at most ${Math.max(maxAudioBytes, maxImageBytes)} bytes`);
    }
    const file = await ctx.store.ingest(req, {
      maxBytes: Math.max(maxAudioBytes, maxImageBytes),
      checkHead: (head) => {
        if (sniffAudio(head)) return maxAudioBytes;
        if (sniffImage(head)) return maxImageBytes;
        if (sniffWaveform(head)) return MAX_WAVEFORM_BYTES;
        throw new AsixError("UNSUPPORTED_MEDIA", "a content node stores only audio, images and waveforms");
      },
    }).catch((err) => {
      req.resume();
      throw err;
    });
    if (file.cid !== cid) {
      await ctx.store.discard(file.tmpPath);
      throw new AsixError("INVALID_INPUT", `the bytes hash to ${file.cid}, not ${cid}`);
    }
    await ctx.store.commit(file.tmpPath, cid, file.size, sniffContentType(file.head));
    res.status(201).json({ data: { cid, stored: true, size: file.size } });
  };
}
