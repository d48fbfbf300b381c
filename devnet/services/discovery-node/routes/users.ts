import { Router } from "express";
import { AsixError } from "../../../../sdk/errors";
import { idParam, notFound, paging, queryString, send, sendCached, viewContext, type NodeState } from "../respond";
import { searchUsers } from "../search";
import {
  favoriteModel, getUserRow, playlistModel, repostModel, trackModel, userModel, usersByIds,
  type PlaylistRow, type TrackRow, type UserRow,
} from "../views";

export function usersRouter(state: NodeState): Router {
  const r = Router();
  const { db } = state;

  r.get("/users/search", async (req, res) => {
    const query = queryString(req, "query", true)!;
    const ctx = await viewContext(state);
    await send(state, req, res, await Promise.all((await searchUsers(db, query, paging(req))).map((row) => userModel(ctx, row))));
  });

  r.get("/users/handle/:handle", async (req, res) => {
    const handle = String(req.params.handle);
    const row = (await db.get("SELECT * FROM users WHERE handle_lc = ?", [handle.toLowerCase()])) as UserRow | undefined;
    if (!row) throw new AsixError("NOT_FOUND", `no user with handle ${handle.slice(0, 64)}`);
    await send(state, req, res, userModel(await viewContext(state), row));
  });

  /** The user a wallet owns (one wallet owns one user), so a client can find "me" from its key. */
  r.get("/users/account/:wallet", async (req, res) => {
    const wallet = String(req.params.wallet);
    if (!/^0x[0-9a-fA-F]{40}$/.test(wallet)) throw new AsixError("INVALID_INPUT", "wallet must be a 0x address");
    const row = (await db.get("SELECT * FROM users WHERE wallet = ?", [wallet.toLowerCase()])) as UserRow | undefined;
    if (!row) throw new AsixError("NOT_FOUND", `no user owns wallet ${wallet}`);
    await send(state, req, res, userModel(await viewContext(state), row));
  });

  /** The user itself, or 404; every sub-list of a missing user is a 404 too. */
  const requireUser = async (id: number) => {
    const row = await getUserRow(db, id);
    if (!row) throw notFound("user", id);
    return row;
  };

  r.get("/users/:id", async (req, res) => {
    const id = idParam(req);
    await sendCached(state, req, res, async (ctx) => userModel(ctx, await requireUser(id)));
  });

  r.get("/users/:id/tracks", async (req, res) => {
    const owner = await requireUser(idParam(req));
    const { limit, offset } = paging(req);
    const rows = (await db.all("SELECT * FROM tracks WHERE owner_id = ? AND is_delete = 0 ORDER BY created_at DESC, track_id DESC LIMIT ? OFFSET ?", [owner.user_id, limit, offset])) as TrackRow[];
    const ctx = await viewContext(state);
    const user = userModel(ctx, owner);
    await send(state, req, res, await Promise.all(rows.map((t) => trackModel(ctx, t, user))));
  });

  r.get("/users/:id/playlists", async (req, res) => {
    const owner = await requireUser(idParam(req));
    const { limit, offset } = paging(req);
    const rows = (await db.all("SELECT * FROM playlists WHERE owner_id = ? AND is_delete = 0 AND is_private = 0 ORDER BY created_at DESC, playlist_id DESC LIMIT ? OFFSET ?", [owner.user_id, limit, offset])) as PlaylistRow[];
    const ctx = await viewContext(state);
    await send(state, req, res, await Promise.all(rows.map((p) => playlistModel(ctx, p))));
  });

  r.get("/users/:id/followers", async (req, res) => {
    const user = await requireUser(idParam(req));
    const { limit, offset } = paging(req);
    const ids = (await db.all<Record<string, number>>("SELECT follower_id FROM follows WHERE followee_id = ? ORDER BY created_at DESC, follower_id LIMIT ? OFFSET ?", [user.user_id, limit, offset])).map((r) => r.follower_id);
    await send(state, req, res, await usersByIds(await viewContext(state), ids));
  });

  r.get("/users/:id/following", async (req, res) => {
    const user = await requireUser(idParam(req));
    const { limit, offset } = paging(req);
    const ids = (await db.all<Record<string, number>>("SELECT followee_id FROM follows WHERE follower_id = ? ORDER BY created_at DESC, followee_id LIMIT ? OFFSET ?", [user.user_id, limit, offset])).map((r) => r.followee_id);
    await send(state, req, res, await usersByIds(await viewContext(state), ids));
  });

  r.get("/users/:id/subscribers", async (req, res) => {
    const user = await requireUser(idParam(req));
    const { limit, offset } = paging(req);
    const ids = (await db.all<Record<string, number>>("SELECT subscriber_id FROM subscriptions WHERE user_id = ? ORDER BY created_at DESC, subscriber_id LIMIT ? OFFSET ?", [user.user_id, limit, offset])).map((r) => r.subscriber_id);
    await send(state, req, res, await usersByIds(await viewContext(state), ids));
  });

  r.get("/users/:id/reposts", async (req, res) => {
    const user = await requireUser(idParam(req));
    const { limit, offset } = paging(req);
    const rows = (await db.all(`SELECT r.item_type, r.item_id, r.created_at FROM reposts r
       LEFT JOIN tracks t ON r.item_type = 'track' AND t.track_id = r.item_id
       LEFT JOIN playlists p ON r.item_type = 'playlist' AND p.playlist_id = r.item_id
       WHERE r.user_id = ? AND coalesce(t.is_delete, p.is_delete) = 0
       ORDER BY r.created_at DESC, r.item_type, r.item_id DESC LIMIT ? OFFSET ?`, [user.user_id, limit, offset])) as Array<{ item_type: string; item_id: number; created_at: number }>;
    const ctx = await viewContext(state);
    await send(state, req, res, (await Promise.all(rows.map((row) => repostModel(ctx, row)))).filter(Boolean));
  });

  r.get("/users/:id/favorites", async (req, res) => {
    const user = await requireUser(idParam(req));
    const { limit, offset } = paging(req);
    const rows = (await db.all(`SELECT s.user_id, s.item_type, s.item_id, s.created_at FROM saves s
       LEFT JOIN tracks t ON s.item_type = 'track' AND t.track_id = s.item_id
       LEFT JOIN playlists p ON s.item_type = 'playlist' AND p.playlist_id = s.item_id
       WHERE s.user_id = ? AND coalesce(t.is_delete, p.is_delete) = 0
       ORDER BY s.created_at DESC, s.item_type, s.item_id DESC LIMIT ? OFFSET ?`, [user.user_id, limit, offset])) as Array<{ user_id: number; item_type: string; item_id: number; created_at: number }>;
    await send(state, req, res, rows.map(favoriteModel));
  });

  return r;
}
