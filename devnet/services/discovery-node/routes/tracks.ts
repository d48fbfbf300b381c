import express, { Router } from "express";
import { AsixError } from "../../../../sdk/errors";
import { rendezvousRank } from "../../../../sdk/rendezvous";
import { signStreamAccess, verifyStreamAccess } from "../../../../sdk/signatures";
import { stmt } from "../actions/context";
import { idParam, notFound, paging, queryString, send, sendCached, viewContext, type NodeState } from "../respond";
import { searchTracks } from "../search";
import { TRENDING_WINDOWS, trendingTrackIds, type TrendingTime } from "../trending";
import { getTrackRow, trackModel, tracksByIds, usersByIds } from "../views";
import { ContentNodeHealth } from "./contentNodeHealth";

export function tracksRouter(state: NodeState): Router {
  const r = Router();
  const { db } = state;
  const health = new ContentNodeHealth();

  r.get("/tracks/search", async (req, res) => {
    const query = queryString(req, "query", true)!;
    const ctx = await viewContext(state);
    await send(state, req, res, searchTracks(db, query, paging(req)).map((row) => trackModel(ctx, row)));
  });

  r.get("/tracks/trending", async (req, res) => {
    const time = (queryString(req, "time") ?? "week") as TrendingTime;
    if (!Object.hasOwn(TRENDING_WINDOWS, time)) throw new AsixError("INVALID_INPUT", "time must be week, month or allTime");
    const genre = queryString(req, "genre");
    const page = paging(req);
    // Trending is the same for every caller until the index changes, so it is served from the cache.
    await sendCached(state, req, res, (ctx) => tracksByIds(ctx, trendingTrackIds(db, time, genre, page).map((t) => t.track_id)));
  });

  const requireTrack = (id: number) => {
    const row = getTrackRow(db, id);
    if (!row) throw notFound("track", id);
    return row;
  };

  r.get("/tracks/:id", async (req, res) => {
    const id = idParam(req);
    await sendCached(state, req, res, (ctx) => trackModel(ctx, requireTrack(id)));
  });

  /**
   * 302 to `<content node>/tracks/cidstream/<track_cid>?signature=…`: the first healthy node in
   * rendezvous order for the CID (the first in order when none answers healthy).
   */
  r.get("/tracks/:id/stream", async (req, res) => {
    const id = idParam(req);
    const track = requireTrack(id);
    if (!track.track_cid) throw new AsixError("NOT_FOUND", `track ${id} has no audio to stream`);
    const nodes = rendezvousRank(await state.contentNodes(), track.track_cid);
    if (nodes.length === 0) throw new AsixError("NODE_UNAVAILABLE", "no content node is known");
    const node = (await health.firstHealthy(nodes)) ?? nodes[0];
    const signature = await signStreamAccess(state.wallet, { cid: track.track_cid, timestamp: Date.now(), trackId: id });
    res.redirect(302, `${node.replace(/\/+$/, "")}/tracks/cidstream/${track.track_cid}?signature=${encodeURIComponent(signature)}`);
  });

  /**
   * A play, reported by the content node when a stream starts at byte 0. Body: `{signature}`, the
   * stream signature it was given (from this or another registered discovery node) for this track.
   */
  r.post("/tracks/:id/plays", express.json({ limit: "16kb" }), async (req, res) => {
    const id = idParam(req);
    const track = requireTrack(id);
    const discovery = await state.discoveryNodes();
    const signers = [state.wallet.address, ...discovery.map((d) => d.delegateOwnerWallet)];
    const data = verifyStreamAccess(req.body?.signature, track.track_cid, signers);
    if (data.trackId !== undefined && data.trackId !== id) throw new AsixError("UNAUTHORIZED", "stream signature is for another track");
    const now = Math.floor(Date.now() / 1000);
    db.transaction(() => {
      stmt(db, "INSERT INTO plays (track_id, created_at) VALUES (?, ?)").run(id, now);
      stmt(db, "UPDATE tracks SET play_count = play_count + 1 WHERE track_id = ?").run(id);
    })();
    state.offChainVersion++;
    const playCount = (stmt(db, "SELECT play_count FROM tracks WHERE track_id = ?").get(id) as { play_count: number }).play_count;
    res.status(201);
    await send(state, req, res, { play_count: playCount });
  });

  r.get("/tracks/:id/favorites", async (req, res) => {
    const track = requireTrack(idParam(req));
    const { limit, offset } = paging(req);
    const ids = stmt(db, "SELECT user_id FROM saves WHERE item_type = 'track' AND item_id = ? ORDER BY created_at DESC, user_id LIMIT ? OFFSET ?").pluck().all(track.track_id, limit, offset) as number[];
    await send(state, req, res, usersByIds(await viewContext(state), ids));
  });

  r.get("/tracks/:id/reposts", async (req, res) => {
    const track = requireTrack(idParam(req));
    const { limit, offset } = paging(req);
    const ids = stmt(db, "SELECT user_id FROM reposts WHERE item_type = 'track' AND item_id = ? ORDER BY created_at DESC, user_id LIMIT ? OFFSET ?").pluck().all(track.track_id, limit, offset) as number[];
    await send(state, req, res, usersByIds(await viewContext(state), ids));
  });

  return r;
}
