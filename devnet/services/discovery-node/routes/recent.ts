import { Router } from "express";
import { paging, send, viewContext, type NodeState } from "../respond";
import { playlistModel, trackModel, type PlaylistRow, type TrackRow } from "../views";

/**
 * `/v1/tracks/recent` and `/v1/playlists/recent`: the newest live tracks and public playlists
 * (albums included), newest first, for explorers and "new releases" shelves. Mounted before the
 * `/:id` routes, which would read "recent" as a hashid.
 */
export function recentRouter(state: NodeState): Router {
  const r = Router();
  const { db } = state;

  r.get("/tracks/recent", async (req, res) => {
    const { limit, offset } = paging(req);
    const rows = (await db.all("SELECT * FROM tracks WHERE is_delete = 0 ORDER BY created_at DESC, track_id DESC LIMIT ? OFFSET ?", [limit, offset])) as TrackRow[];
    const ctx = await viewContext(state);
    await send(state, req, res, await Promise.all(rows.map((row) => trackModel(ctx, row))));
  });

  r.get("/playlists/recent", async (req, res) => {
    const { limit, offset } = paging(req);
    const rows = (await db.all("SELECT * FROM playlists WHERE is_delete = 0 AND is_private = 0 ORDER BY created_at DESC, playlist_id DESC LIMIT ? OFFSET ?", [limit, offset])) as PlaylistRow[];
    const ctx = await viewContext(state);
    await send(state, req, res, await Promise.all(rows.map((row) => playlistModel(ctx, row))));
  });
  return r;
}
