import express, { Router, type Request, type RequestHandler } from "express";
import { AsixError } from "../../../../sdk/errors";
import { rendezvousRank } from "../../../../sdk/rendezvous";
import { decodeHashId } from "../../../../sdk/hashids";
import { signStreamAccess, verifyStreamSignature, type StreamAccess } from "../../../../sdk/signatures";
import { countPlay } from "../plays";
import { idParam, notFound, paging, queryString, send, sendCached, viewContext, type NodeState } from "../respond";
import { searchTracks, type TrackFilters } from "../search";
import { TRENDING_WINDOWS, trendingTrackIds, type TrendingTime } from "../trending";
import { getTrackRow, trackModel, tracksByIds, usersByIds } from "../views";
import { ContentNodeHealth } from "./contentNodeHealth";

export function tracksRouter(state: NodeState): Router {
  const r = Router();
  const { db } = state;
  const health = new ContentNodeHealth();

  r.get("/tracks/search", async (req, res) => {
    const filters = trackFilters(req);
    const filtered = Object.keys(filters).length > 0;
    const query = queryString(req, "query", !filtered) ?? "";
    const ctx = await viewContext(state);
    await send(state, req, res, await Promise.all((await searchTracks(db, query, paging(req), filters)).map((row) => trackModel(ctx, row))));
  });

  r.get("/tracks/trending", async (req, res) => {
    const time = (queryString(req, "time") ?? "week") as TrendingTime;
    if (!Object.hasOwn(TRENDING_WINDOWS, time)) throw new AsixError("INVALID_INPUT", "time must be week, month or allTime");
    const genre = queryString(req, "genre");
    const page = paging(req);
    // Trending is the same for every caller until the index changes, so it is served from the cache.
    await sendCached(state, req, res, async (ctx) => tracksByIds(ctx, (await trendingTrackIds(db, time, genre, page)).map((t) => t.track_id)));
  });

  const requireTrack = async (id: number) => {
    const row = await getTrackRow(db, id);
    if (!row) throw notFound("track", id);
    return row;
  };

  r.get("/tracks/:id", async (req, res) => {
    const id = idParam(req);
    await sendCached(state, req, res, async (ctx) => trackModel(ctx, await requireTrack(id)));
  });

  /**
   * 302 to `<content node>/tracks/cidstream/<track_cid>?signature=…`: the first healthy node in
   * rendezvous order for the CID (the first in order when none answers healthy). The signature
   * carries a fresh nonce, a one-hour expiry, the caller's IP and the listener (`user_id`, when
   * given), which is what play counting limits on. With `no_redirect=true` (the reference
   * protocol's parameter) the URL comes back as `{data}` instead: a browser's fetch cannot read a
   * redirect's Location, and an <audio> element needs the URL itself.
   */
  r.get("/tracks/:id/stream", async (req, res) => {
    const id = idParam(req);
    const track = await requireTrack(id);
    if (!track.track_cid) throw new AsixError("NOT_FOUND", `track ${id} has no audio to stream`);
    const nodes = rendezvousRank(await state.contentNodes(), track.track_cid);
    if (nodes.length === 0) throw new AsixError("NODE_UNAVAILABLE", "no content node is known");
    const node = (await health.firstHealthy(nodes)) ?? nodes[0];
    const listener = typeof req.query.user_id === "string" ? decodeHashId(req.query.user_id) : undefined;
    const signature = await signStreamAccess(state.wallet, {
      cid: track.track_cid,
      timestamp: Date.now(),
      trackId: id,
      ip: req.ip ?? req.socket.remoteAddress ?? "",
      ...(listener !== undefined ? { userId: listener } : {}),
    });
    const url = `${node.replace(/\/+$/, "")}/tracks/cidstream/${track.track_cid}?signature=${encodeURIComponent(signature)}`;
    if (req.query.no_redirect === "true") res.json({ data: url });
    else res.redirect(302, url);
  });

  /**
   * Route middleware for play reports: the body's stream signature, from this or another
   * registered discovery node, for this track, verified once and handed on in `res.locals.play`.
   */
  const requirePlaySignature: RequestHandler = async (req, res, next) => {
    const id = idParam(req);
    const track = await requireTrack(id);
    const discovery = await state.discoveryNodes();
    const signers = [state.wallet.address, ...discovery.map((d) => d.delegateOwnerWallet)];
    const access = verifyStreamSignature(req.body?.signature, track.track_cid, signers);
    if (access.data.trackId !== id) throw new AsixError("UNAUTHORIZED", "stream signature is for another track");
    if (typeof access.data.nonce !== "string") throw new AsixError("UNAUTHORIZED", "stream signature carries no nonce");
    res.locals.play = { id, access };
    next();
  };

  /**
   * A play, reported by the content node when a stream starts at byte 0. Body: `{signature}`, the
   * stream signature it was given. 201 when counted; 409 when that signature already counted one;
   * 429 past the per-listener or per-IP limits (plays.ts).
   */
  r.post("/tracks/:id/plays", express.json({ limit: "16kb" }), requirePlaySignature, async (req, res) => {
    const { id, access } = res.locals.play as { id: number; access: StreamAccess };
    const { playCount } = await countPlay(db, id, access);
    state.offChainVersion++;
    res.status(201);
    await send(state, req, res, { play_count: playCount });
  });

  r.get("/tracks/:id/favorites", async (req, res) => {
    const track = await requireTrack(idParam(req));
    const { limit, offset } = paging(req);
    const ids = (await db.all<Record<string, number>>("SELECT user_id FROM saves WHERE item_type = 'track' AND item_id = ? ORDER BY created_at DESC, user_id LIMIT ? OFFSET ?", [track.track_id, limit, offset])).map((r) => r.user_id);
    await send(state, req, res, await usersByIds(await viewContext(state), ids));
  });

  r.get("/tracks/:id/reposts", async (req, res) => {
    const track = await requireTrack(idParam(req));
    const { limit, offset } = paging(req);
    const ids = (await db.all<Record<string, number>>("SELECT user_id FROM reposts WHERE item_type = 'track' AND item_id = ? ORDER BY created_at DESC, user_id LIMIT ? OFFSET ?", [track.track_id, limit, offset])).map((r) => r.user_id);
    await send(state, req, res, await usersByIds(await viewContext(state), ids));
  });

  return r;
}

/** `bpm_min`, `bpm_max` (numbers) and `key` (once or repeated), the reference's search parameters. */
function trackFilters(req: Request): TrackFilters {
  const filters: TrackFilters = {};
  for (const [name, field] of [["bpm_min", "bpmMin"], ["bpm_max", "bpmMax"]] as const) {
    const raw = queryString(req, name);
    if (raw === undefined) continue;
    const bpm = Number(raw);
    if (!Number.isFinite(bpm) || bpm < 0 || bpm > 1000) throw new AsixError("INVALID_INPUT", `${name} must be a number of beats per minute (0 to 1000)`);
    filters[field] = bpm;
  }
  if (filters.bpmMin !== undefined && filters.bpmMax !== undefined && filters.bpmMin > filters.bpmMax) {
    throw new AsixError("INVALID_INPUT", "bpm_min must not be above bpm_max");
  }
  const raw = req.query.key;
  if (raw !== undefined && raw !== "") {
    const keys = (Array.isArray(raw) ? raw : [raw]).map((k) => (typeof k === "string" ? k.trim() : ""));
    if (keys.length > 24 || keys.some((k) => k === "" || k.length > 40)) {
      throw new AsixError("INVALID_INPUT", "key must be up to 24 musical keys such as \"A minor\"");
    }
    filters.keys = keys;
  }
  return filters;
}
