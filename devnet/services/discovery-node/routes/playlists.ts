import { Router } from "express";
import { idParam, notFound, paging, queryString, send, sendCached, viewContext, type NodeState } from "../respond";
import { searchPlaylists } from "../search";
import { getPlaylistRow, playlistModel, tracksByIds, usersByIds } from "../views";

export function playlistsRouter(state: NodeState): Router {
  const r = Router();
  const { db } = state;

  r.get("/playlists/search", async (req, res) => {
    const query = queryString(req, "query", true)!;
    const ctx = await viewContext(state);
    await send(state, req, res, await Promise.all((await searchPlaylists(db, query, paging(req))).map((row) => playlistModel(ctx, row))));
  });

  const requirePlaylist = async (id: number) => {
    const row = await getPlaylistRow(db, id);
    if (!row) throw notFound("playlist", id);
    return row;
  };

  /** As in the reference API, `data` is an array holding the one playlist. */
  r.get("/playlists/:id", async (req, res) => {
    const id = idParam(req);
    await sendCached(state, req, res, async (ctx) => [await playlistModel(ctx, await requirePlaylist(id))]);
  });

  /** The playlist's live tracks in playlist order (a deleted track drops out). */
  r.get("/playlists/:id/tracks", async (req, res) => {
    const row = await requirePlaylist(idParam(req));
    const { limit, offset } = paging(req);
    const ids = (JSON.parse(row.playlist_contents) as Array<{ track_id: number }>).map((e) => e.track_id);
    const tracks = await tracksByIds(await viewContext(state), ids);
    await send(state, req, res, tracks.slice(offset, offset + limit));
  });

  r.get("/playlists/:id/favorites", async (req, res) => {
    const row = await requirePlaylist(idParam(req));
    const { limit, offset } = paging(req);
    const ids = (await db.all<Record<string, number>>("SELECT user_id FROM saves WHERE item_type = 'playlist' AND item_id = ? ORDER BY created_at DESC, user_id LIMIT ? OFFSET ?", [row.playlist_id, limit, offset])).map((r) => r.user_id);
    await send(state, req, res, await usersByIds(await viewContext(state), ids));
  });

  r.get("/playlists/:id/reposts", async (req, res) => {
    const row = await requirePlaylist(idParam(req));
    const { limit, offset } = paging(req);
    const ids = (await db.all<Record<string, number>>("SELECT user_id FROM reposts WHERE item_type = 'playlist' AND item_id = ? ORDER BY created_at DESC, user_id LIMIT ? OFFSET ?", [row.playlist_id, limit, offset])).map((r) => r.user_id);
    await send(state, req, res, await usersByIds(await viewContext(state), ids));
  });

  return r;
}
