import { Rejection, parseSaveOfRepost } from "../metadata";
import { Ignored, requireActor, stmt, type ActionContext } from "./context";

/** Follow / Subscribe: the target is a user (entityId); no self-follow; a duplicate changes nothing. */
export function followUser(ctx: ActionContext, on: boolean): void {
  requireActor(ctx);
  if (ctx.userId === ctx.entityId) throw new Rejection("a user cannot follow themselves");
  requireUser(ctx);
  const db = ctx.db;
  if (on) {
    const r = stmt(db, "INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?)").run(ctx.userId, ctx.entityId, ctx.action.timestamp);
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} already follows user ${ctx.entityId}`);
  } else {
    const r = stmt(db, "DELETE FROM follows WHERE follower_id = ? AND followee_id = ?").run(ctx.userId, ctx.entityId);
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} does not follow user ${ctx.entityId}`);
  }
  const d = on ? 1 : -1;
  stmt(db, "UPDATE users SET follower_count = follower_count + ? WHERE user_id = ?").run(d, ctx.entityId);
  stmt(db, "UPDATE users SET followee_count = followee_count + ? WHERE user_id = ?").run(d, ctx.userId);
}

export function subscribeUser(ctx: ActionContext, on: boolean): void {
  requireActor(ctx);
  if (ctx.userId === ctx.entityId) throw new Rejection("a user cannot subscribe to themselves");
  requireUser(ctx);
  const db = ctx.db;
  if (on) {
    const r = stmt(db, "INSERT OR IGNORE INTO subscriptions (subscriber_id, user_id, created_at) VALUES (?, ?, ?)").run(ctx.userId, ctx.entityId, ctx.action.timestamp);
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} is already subscribed to user ${ctx.entityId}`);
  } else {
    const r = stmt(db, "DELETE FROM subscriptions WHERE subscriber_id = ? AND user_id = ?").run(ctx.userId, ctx.entityId);
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} is not subscribed to user ${ctx.entityId}`);
  }
  stmt(db, "UPDATE users SET subscriber_count = subscriber_count + ? WHERE user_id = ?").run(on ? 1 : -1, ctx.entityId);
}

function requireUser(ctx: ActionContext): void {
  if (!stmt(ctx.db, "SELECT 1 FROM users WHERE user_id = ?").get(ctx.entityId)) throw new Rejection(`user ${ctx.entityId} does not exist`, "not_found");
}

export type ItemType = "track" | "playlist";
const ITEM_TABLE = { track: ["tracks", "track_id"], playlist: ["playlists", "playlist_id"] } as const;

function requireItem(ctx: ActionContext, type: ItemType): void {
  const [table, key] = ITEM_TABLE[type];
  const row = stmt(ctx.db, `SELECT is_delete FROM ${table} WHERE ${key} = ?`).get(ctx.entityId) as { is_delete: number } | undefined;
  if (!row || row.is_delete) throw new Rejection(`${type} ${ctx.entityId} does not exist`, "not_found");
}

/** Save / Unsave of a track or playlist; keeps favorite counts (`save_count`) up to date. */
export function saveItem(ctx: ActionContext, type: ItemType, on: boolean): void {
  requireActor(ctx);
  requireItem(ctx, type);
  const db = ctx.db;
  if (on) {
    const r = stmt(db, "INSERT OR IGNORE INTO saves (user_id, item_type, item_id, is_save_of_repost, created_at) VALUES (?, ?, ?, ?, ?)").run(
      ctx.userId, type, ctx.entityId, parseSaveOfRepost(ctx.action.metadata) ? 1 : 0, ctx.action.timestamp,
    );
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} already saved ${type} ${ctx.entityId}`);
  } else {
    const r = stmt(db, "DELETE FROM saves WHERE user_id = ? AND item_type = ? AND item_id = ?").run(ctx.userId, type, ctx.entityId);
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} has not saved ${type} ${ctx.entityId}`);
  }
  const [table, key] = ITEM_TABLE[type];
  stmt(db, `UPDATE ${table} SET save_count = save_count + ? WHERE ${key} = ?`).run(on ? 1 : -1, ctx.entityId);
}

/** Repost / Unrepost; keeps the item's repost_count and the user's repost_count up to date. */
export function repostItem(ctx: ActionContext, type: ItemType, on: boolean): void {
  requireActor(ctx);
  requireItem(ctx, type);
  const db = ctx.db;
  if (on) {
    const r = stmt(db, "INSERT OR IGNORE INTO reposts (user_id, item_type, item_id, created_at) VALUES (?, ?, ?, ?)").run(ctx.userId, type, ctx.entityId, ctx.action.timestamp);
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} already reposted ${type} ${ctx.entityId}`);
  } else {
    const r = stmt(db, "DELETE FROM reposts WHERE user_id = ? AND item_type = ? AND item_id = ?").run(ctx.userId, type, ctx.entityId);
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} has not reposted ${type} ${ctx.entityId}`);
  }
  const [table, key] = ITEM_TABLE[type];
  const d = on ? 1 : -1;
  stmt(db, `UPDATE ${table} SET repost_count = repost_count + ? WHERE ${key} = ?`).run(d, ctx.entityId);
  stmt(db, "UPDATE users SET repost_count = repost_count + ? WHERE user_id = ?").run(d, ctx.userId);
}
