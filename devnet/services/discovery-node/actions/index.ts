import type { ActionRejectionCode, ActionStatus } from "../../../../sdk/protocol/actions";
import type { Db } from "../db";
import { Rejection } from "../metadata";
import { Ignored, safeId, type ActionContext, type ChainAction } from "./context";
import { flushBatch } from "./flush";
import { BatchState } from "./state";
import { createPlaylist, deletePlaylist, updatePlaylist } from "./playlists";
import { followUser, repostItem, saveItem, subscribeUser } from "./social";
import { createTrack, deleteTrack, updateTrack } from "./tracks";
import { createUser, setVerified, updateUser } from "./users";

export type { ChainAction } from "./context";
export type { ActionStatus };

type Handler = (ctx: ActionContext) => Promise<void>;

/** PROTOCOL.md §3: entityType → action → handler. */
const HANDLERS: Record<string, Record<string, Handler>> = {
  User: {
    Create: createUser,
    Update: updateUser,
    Follow: (c) => followUser(c, true),
    Unfollow: (c) => followUser(c, false),
    Subscribe: (c) => subscribeUser(c, true),
    Unsubscribe: (c) => subscribeUser(c, false),
  },
  Track: {
    Create: createTrack,
    Update: updateTrack,
    Delete: deleteTrack,
    Save: (c) => saveItem(c, "track", true),
    Unsave: (c) => saveItem(c, "track", false),
    Repost: (c) => repostItem(c, "track", true),
    Unrepost: (c) => repostItem(c, "track", false),
  },
  Playlist: {
    Create: createPlaylist,
    Update: updatePlaylist,
    Delete: deletePlaylist,
    Save: (c) => saveItem(c, "playlist", true),
    Unsave: (c) => saveItem(c, "playlist", false),
    Repost: (c) => repostItem(c, "playlist", true),
    Unrepost: (c) => repostItem(c, "playlist", false),
  },
};

async function dispatch(state: BatchState, action: ChainAction): Promise<void> {
  const ctx: ActionContext = {
    state,
    action,
    userId: safeId(action.userId, "userId"),
    entityId: action.kind === "ManageIsVerified" ? 0 : safeId(action.entityId, "entityId"),
  };
  if (action.kind === "ManageIsVerified") return setVerified(ctx);
  if (action.invalidUtf8) throw new Rejection("entityType, action or metadata is not valid UTF-8");
  const handler = HANDLERS[action.entityType]?.[action.action];
  if (!handler) throw new Rejection(`unsupported action ${truncate(action.entityType)} ${truncate(action.action)}`);
  return handler(ctx);
}

/** One row of the `actions` table: an action and its outcome. */
export type OutcomeRow = [number, number, string, string, string, string, string, string, ActionStatus, string, ActionRejectionCode | ""];

/**
 * Validate and apply a batch of actions, in chain order, inside the caller's transaction; their
 * outcome rows, for {@link recordOutcomes}. The batch's state lives in memory (state.ts) and is
 * written after its last action (flush.ts), giving the same index as applying them one by one. A
 * rejected or ignored action leaves no change behind: its changes to the state are undone.
 */
export async function applyActions(db: Db, actions: ChainAction[]): Promise<OutcomeRow[]> {
  const state = new BatchState(db);
  await state.preload(actions);
  const outcomes: OutcomeRow[] = [];
  for (const action of actions) outcomes.push(await applyAction(state, action));
  await flushBatch(state);
  return outcomes;
}

async function applyAction(state: BatchState, action: ChainAction): Promise<OutcomeRow> {
  let status: ActionStatus = "applied";
  let reason = "";
  let code: ActionRejectionCode | "" = "";
  state.begin();
  try {
    // dispatch may throw synchronously (an id out of range) or reject: both undo the action's changes
    await dispatch(state, action);
    state.commit();
  } catch (e) {
    state.rollback();
    if (e instanceof Ignored) status = "ignored";
    else if (e instanceof Rejection) {
      status = "rejected";
      code = e.code;
    } else throw e; // a database failure aborts the whole batch; nothing is half-applied
    reason = e.message;
  }
  return [
    action.blocknumber, action.logIndex, action.txhash, action.userId.toString(), action.signer,
    action.kind === "ManageIsVerified" ? "User" : truncate(action.entityType),
    action.entityId.toString(),
    action.kind === "ManageIsVerified" ? (action.isVerified ? "Verify" : "Unverify") : truncate(action.action),
    status, noNul(reason), code,
  ];
}

/** Rows per INSERT: 11 parameters each, well under PostgreSQL's 65,535 per statement. */
const OUTCOMES_PER_INSERT = 500;

/**
 * Record outcomes in the `actions` table, many rows per statement: nothing reads them while a
 * batch is applied, and one statement per action was a round trip each on PostgreSQL.
 */
export async function recordOutcomes(db: Db, rows: OutcomeRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += OUTCOMES_PER_INSERT) {
    const chunk = rows.slice(i, i + OUTCOMES_PER_INSERT);
    await db.run(
      `INSERT INTO actions (blocknumber, log_index, txhash, user_id, signer, entity_type, entity_id, action, status, reason, code)
       VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
      chunk.flat(),
    );
  }
}

const truncate = (s: string) => noNul(s.length > 64 ? s.slice(0, 64) + "…" : s);
/** Event strings are any UTF-8, NUL included, which PostgreSQL text cannot hold: shown as U+FFFD on every backend. */
const noNul = (s: string) => s.replaceAll("\u0000", "\uFFFD");
