import { Rejection, parseSaveOfRepost } from "../metadata";
import { Ignored, requireActor, type ActionContext } from "./context";

/** Follow / Subscribe: the target is a user (entityId); no self-follow; a duplicate changes nothing. */
export async function followUser(ctx: ActionContext, on: boolean): Promise<void> {
  await requireActor(ctx);
  if (ctx.userId === ctx.entityId) throw new Rejection("a user cannot follow themselves");
  await requireUser(ctx);
  const { state } = ctx;
  const row = { follower_id: ctx.userId, followee_id: ctx.entityId, created_at: ctx.action.timestamp };
  const exists = await state.related("follows", row);
  if (on && exists) throw new Ignored(`user ${ctx.userId} already follows user ${ctx.entityId}`);
  if (!on && !exists) throw new Ignored(`user ${ctx.userId} does not follow user ${ctx.entityId}`);
  state.relate("follows", row, on);
  const d = on ? 1 : -1;
  state.addCount("users", ctx.entityId, "follower_count", d);
  state.addCount("users", ctx.userId, "followee_count", d);
}

export async function subscribeUser(ctx: ActionContext, on: boolean): Promise<void> {
  await requireActor(ctx);
  if (ctx.userId === ctx.entityId) throw new Rejection("a user cannot subscribe to themselves");
  await requireUser(ctx);
  const { state } = ctx;
  const row = { subscriber_id: ctx.userId, user_id: ctx.entityId, created_at: ctx.action.timestamp };
  const exists = await state.related("subscriptions", row);
  if (on && exists) throw new Ignored(`user ${ctx.userId} is already subscribed to user ${ctx.entityId}`);
  if (!on && !exists) throw new Ignored(`user ${ctx.userId} is not subscribed to user ${ctx.entityId}`);
  state.relate("subscriptions", row, on);
  state.addCount("users", ctx.entityId, "subscriber_count", on ? 1 : -1);
}

async function requireUser(ctx: ActionContext): Promise<void> {
  if (!(await ctx.state.user(ctx.entityId))) throw new Rejection(`user ${ctx.entityId} does not exist`, "not_found");
}

export type ItemType = "track" | "playlist";
const ITEM_TABLE = { track: "tracks", playlist: "playlists" } as const;

async function requireItem(ctx: ActionContext, type: ItemType): Promise<void> {
  const row = type === "track" ? await ctx.state.track(ctx.entityId) : await ctx.state.playlist(ctx.entityId);
  if (!row || row.is_delete) throw new Rejection(`${type} ${ctx.entityId} does not exist`, "not_found");
}

/** Save / Unsave of a track or playlist; keeps favorite counts (`save_count`) up to date. */
export async function saveItem(ctx: ActionContext, type: ItemType, on: boolean): Promise<void> {
  await requireActor(ctx);
  await requireItem(ctx, type);
  const { state } = ctx;
  const row = { user_id: ctx.userId, item_type: type, item_id: ctx.entityId, is_save_of_repost: parseSaveOfRepost(ctx.action.metadata) ? 1 : 0, created_at: ctx.action.timestamp };
  const exists = await state.related("saves", row);
  if (on && exists) throw new Ignored(`user ${ctx.userId} already saved ${type} ${ctx.entityId}`);
  if (!on && !exists) throw new Ignored(`user ${ctx.userId} has not saved ${type} ${ctx.entityId}`);
  state.relate("saves", row, on);
  state.addCount(ITEM_TABLE[type], ctx.entityId, "save_count", on ? 1 : -1);
}

/** Repost / Unrepost; keeps the item's repost_count and the user's repost_count up to date. */
export async function repostItem(ctx: ActionContext, type: ItemType, on: boolean): Promise<void> {
  await requireActor(ctx);
  await requireItem(ctx, type);
  const { state } = ctx;
  const row = { user_id: ctx.userId, item_type: type, item_id: ctx.entityId, created_at: ctx.action.timestamp };
  const exists = await state.related("reposts", row);
  if (on && exists) throw new Ignored(`user ${ctx.userId} already reposted ${type} ${ctx.entityId}`);
  if (!on && !exists) throw new Ignored(`user ${ctx.userId} has not reposted ${type} ${ctx.entityId}`);
  state.relate("reposts", row, on);
  const d = on ? 1 : -1;
  state.addCount(ITEM_TABLE[type], ctx.entityId, "repost_count", d);
  state.addCount("users", ctx.userId, "repost_count", d);
}
