import {
  LIMITS, Rejection, parseEntityMetadata, readBool, readCid, readDuration, readId, readRef, readRequiredString, readString,
  type MetadataData,
} from "../metadata";
import { Ignored, insertRow, requireActor, updateRow, type ActionContext } from "./context";

interface TrackRow {
  track_id: number;
  owner_id: number;
  is_delete: number;
}

/** Every track field that a Create sets and an Update may change, read from metadata `data`. */
function readTrackFields(data: MetadataData, creating: boolean): Record<string, string | number | undefined> {
  return {
    title: creating ? readRequiredString(data, "title", LIMITS.title) : readString(data, "title", LIMITS.title),
    genre: readString(data, "genre", LIMITS.genre),
    mood: readString(data, "mood", LIMITS.mood),
    tags: readString(data, "tags", LIMITS.tags),
    description: readString(data, "description", LIMITS.description),
    track_cid: readCid(data, "track_cid"),
    preview_cid: readCid(data, "preview_cid"),
    orig_file_cid: readCid(data, "orig_file_cid"),
    orig_filename: readString(data, "orig_filename", LIMITS.filename),
    audio_upload_id: readRef(data, "audio_upload_id"),
    cover_art_sizes: readRef(data, "cover_art_sizes"),
    duration: readDuration(data, "duration"),
    release_date: readString(data, "release_date", LIMITS.releaseDate),
    is_downloadable: boolToInt(readBool(data, "is_downloadable")),
  };
}

const boolToInt = (b: boolean | undefined) => (b === undefined ? undefined : b ? 1 : 0);

function checkOwnerField(data: MetadataData, userId: number): void {
  if (data.owner_id === undefined) return;
  if (readId(data.owner_id, "owner_id") !== userId) throw new Rejection("owner_id is not the acting user", "unauthorized");
}

async function writeTrackFts(ctx: ActionContext): Promise<void> {
  const row = (await ctx.db.get("SELECT title, tags, genre FROM tracks WHERE track_id = ?", [ctx.entityId])) as { title: string; tags: string; genre: string };
  (await ctx.db.run("DELETE FROM tracks_fts WHERE rowid = ?", [ctx.entityId]));
  (await ctx.db.run("INSERT INTO tracks_fts (rowid, title, tags, genre) VALUES (?, ?, ?, ?)", [ctx.entityId, row.title, row.tags, row.genre]));
}

/** A live track owned by the acting user, or a Rejection. */
async function requireOwnTrack(ctx: ActionContext): Promise<TrackRow> {
  await requireActor(ctx);
  const track = (await ctx.db.get("SELECT track_id, owner_id, is_delete FROM tracks WHERE track_id = ?", [ctx.entityId])) as TrackRow | undefined;
  if (!track || track.is_delete) throw new Rejection(`track ${ctx.entityId} does not exist`, "not_found");
  if (track.owner_id !== ctx.userId) throw new Rejection(`user ${ctx.userId} does not own track ${ctx.entityId}`, "unauthorized");
  return track;
}

export async function createTrack(ctx: ActionContext): Promise<void> {
  const { db, action } = ctx;
  await requireActor(ctx);
  if ((await db.get("SELECT 1 FROM tracks WHERE track_id = ?", [ctx.entityId]))) throw new Ignored(`track ${ctx.entityId} already exists`);
  const data = parseEntityMetadata(action.metadata);
  checkOwnerField(data, ctx.userId);
  const read = readTrackFields(data, true);
  await insertRow(db, "tracks", {
    ...read,
    track_id: ctx.entityId,
    owner_id: ctx.userId,
    created_at: action.timestamp,
    updated_at: action.timestamp,
    blocknumber: action.blocknumber,
    txhash: action.txhash,
  });
  (await db.run("UPDATE users SET track_count = track_count + 1 WHERE user_id = ?", [ctx.userId]));
  (await db.run("INSERT INTO tracks_fts (rowid, title, tags, genre) VALUES (?, ?, ?, ?)", [ctx.entityId, read.title, read.tags ?? "", read.genre ?? ""]));
}

export async function updateTrack(ctx: ActionContext): Promise<void> {
  await requireOwnTrack(ctx);
  const data = parseEntityMetadata(ctx.action.metadata);
  checkOwnerField(data, ctx.userId);
  const fields = readTrackFields(data, false);
  if (fields.title !== undefined && String(fields.title).trim() === "") throw new Rejection("title is required");
  await updateRow(ctx.db, "tracks", "track_id", ctx.entityId, fields, ctx.action.timestamp);
  await writeTrackFts(ctx);
}

export async function deleteTrack(ctx: ActionContext): Promise<void> {
  await requireOwnTrack(ctx);
  (await ctx.db.run("UPDATE tracks SET is_delete = 1, updated_at = ? WHERE track_id = ?", [ctx.action.timestamp, ctx.entityId]));
  (await ctx.db.run("UPDATE users SET track_count = track_count - 1 WHERE user_id = ?", [ctx.userId]));
  (await ctx.db.run("DELETE FROM tracks_fts WHERE rowid = ?", [ctx.entityId]));
}
