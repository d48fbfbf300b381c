import { Rejection, parseSaveOfRepost } from "../metadata";
import { Ignored, requireActor, type ActionContext } from "./context";

/** Follow / Subscribe: the target is a user (entityId); no self-follow; a duplicate changes nothing. */
export async function followUser(ctx: ActionContext, on: boolean): Promise<void> {
  await requireActor(ctx);
  if (ctx.userId === ctx.entityId) throw new Rejection("a user cannot follow themselves");
  await requireUser(ctx);
  const db = ctx.db;
  if (on) {
    const r = (await db.run("INSERT INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [ctx.userId, ctx.entityId, ctx.action.timestamp]));
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} already follows user ${ctx.entityId}`);
  } else {
    const r = (await db.run("DELETE FROM follows WHERE follower_id = ? AND followee_id = ?", [ctx.userId, ctx.entityId]));
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} does not follow user ${ctx.entityId}`);
  }
  const d = on ? 1 : -1;
  (await db.run("UPDATE users SET follower_count = follower_count + ? WHERE user_id = ?", [d, ctx.entityId]));
  (await db.run("UPDATE users SET followee_count = followee_count + ? WHERE user_id = ?", [d, ctx.userId]));
}

export async function subscribeUser(ctx: ActionContext, on: boolean): Promise<void> {
  await requireActor(ctx);
  if (ctx.userId === ctx.entityId) throw new Rejection("a user cannot subscribe to themselves");
  await requireUser(ctx);
  const db = ctx.db;
  if (on) {
    const r = (await db.run("INSERT INTO subscriptions (subscriber_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [ctx.userId, ctx.entityId, ctx.action.timestamp]));
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} is already subscribed to user ${ctx.entityId}`);
  } else {
    const r = (await db.run("DELETE FROM subscriptions WHERE subscriber_id = ? AND user_id = ?", [ctx.userId, ctx.entityId]));
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} is not subscribed to user ${ctx.entityId}`);
  }
  (await db.run("UPDATE users SET subscriber_count = subscriber_count + ? WHERE user_id = ?", [on ? 1 : -1, ctx.entityId]));
}

async function requireUser(ctx: ActionContext): Promise<void> {
  if (!(await ctx.db.get("SELECT 1 FROM users WHERE user_id = ?", [ctx.entityId]))) throw new Rejection(`user ${ctx.entityId} does not exist`, "not_found");
}

export type ItemType = "track" | "playlist";
const ITEM_TABLE = { track: ["tracks", "track_id"], playlist: ["playlists", "playlist_id"] } as const;

async function requireItem(ctx: ActionContext, type: ItemType): Promise<void> {
  const [table, key] = ITEM_TABLE[type];
  const row = (await ctx.db.get(`SELECT is_delete FROM ${table} WHERE ${key} = ?`, [ctx.entityId])) as { is_delete: number } | undefined;
  if (!row || row.is_delete) throw new Rejection(`${type} ${ctx.entityId} does not exist`, "not_found");
}

/** Save / Unsave of a track or playlist; keeps favorite counts (`save_count`) up to date. */
export async function saveItem(ctx: ActionContext, type: ItemType, on: boolean): Promise<void> {
  await requireActor(ctx);
  await requireItem(ctx, type);
  const db = ctx.db;
  if (on) {
    const r = (await db.run("INSERT INTO saves (user_id, item_type, item_id, is_save_of_repost, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", [ctx.userId, type, ctx.entityId, parseSaveOfRepost(ctx.action.metadata) ? 1 : 0, ctx.action.timestamp]));
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} already saved ${type} ${ctx.entityId}`);
  } else {
    const r = (await db.run("DELETE FROM saves WHERE user_id = ? AND item_type = ? AND item_id = ?", [ctx.userId, type, ctx.entityId]));
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} has not saved ${type} ${ctx.entityId}`);
  }
  const [table, key] = ITEM_TABLE[type];
  (await db.run(`UPDATE ${table} SET save_count = save_count + ? WHERE ${key} = ?`, [on ? 1 : -1, ctx.entityId]));
}

/** Repost / Unrepost; keeps the item's repost_count and the user's repost_count up to date. */
export async function repostItem(ctx: ActionContext, type: ItemType, on: boolean): Promise<void> {
  await requireActor(ctx);
  await requireItem(ctx, type);
  const db = ctx.db;
  if (on) {
    const r = (await db.run("INSERT INTO reposts (user_id, item_type, item_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", [ctx.userId, type, ctx.entityId, ctx.action.timestamp]));
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} already reposted ${type} ${ctx.entityId}`);
  } else {
    const r = (await db.run("DELETE FROM reposts WHERE user_id = ? AND item_type = ? AND item_id = ?", [ctx.userId, type, ctx.entityId]));
    if (r.changes === 0) throw new Ignored(`user ${ctx.userId} has not reposted ${type} ${ctx.entityId}`);
  }
  const [table, key] = ITEM_TABLE[type];
  const d = on ? 1 : -1;
  (await db.run(`UPDATE ${table} SET repost_count = repost_count + ? WHERE ${key} = ?`, [d, ctx.entityId]));
  (await db.run("UPDATE users SET repost_count = repost_count + ? WHERE user_id = ?", [d, ctx.userId]));
}
