import {
  LIMITS, Rejection, parseEntityMetadata, readBool, readCid, readDuration, readId, readRef, readRequiredString, readString,
  type MetadataData,
} from "../metadata";
import { Ignored, requireActor, type ActionContext } from "./context";
import type { TrackState } from "./state";

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

/** The track's search row from its title, tags and genre as they now stand. */
async function writeTrackFts(ctx: ActionContext): Promise<void> {
  const row = (await ctx.state.track(ctx.entityId))!;
  ctx.state.setSearch("tracks_fts", ctx.entityId, { title: row.title, tags: row.tags, genre: row.genre });
}

/** A live track owned by the acting user, or a Rejection. */
async function requireOwnTrack(ctx: ActionContext): Promise<TrackState> {
  await requireActor(ctx);
  const track = await ctx.state.track(ctx.entityId);
  if (!track || track.is_delete) throw new Rejection(`track ${ctx.entityId} does not exist`, "not_found");
  if (track.owner_id !== ctx.userId) throw new Rejection(`user ${ctx.userId} does not own track ${ctx.entityId}`, "unauthorized");
  return track;
}

export async function createTrack(ctx: ActionContext): Promise<void> {
  const { state, action } = ctx;
  await requireActor(ctx);
  if (await state.track(ctx.entityId)) throw new Ignored(`track ${ctx.entityId} already exists`);
  const data = parseEntityMetadata(action.metadata);
  checkOwnerField(data, ctx.userId);
  const read = readTrackFields(data, true);
  state.insertEntity("tracks", {
    ...read,
    track_id: ctx.entityId,
    owner_id: ctx.userId,
    created_at: action.timestamp,
    updated_at: action.timestamp,
    blocknumber: action.blocknumber,
    txhash: action.txhash,
  });
  state.addCount("users", ctx.userId, "track_count", 1);
  state.setSearch("tracks_fts", ctx.entityId, { title: read.title, tags: read.tags ?? "", genre: read.genre ?? "" }, true);
}

export async function updateTrack(ctx: ActionContext): Promise<void> {
  await requireOwnTrack(ctx);
  const data = parseEntityMetadata(ctx.action.metadata);
  checkOwnerField(data, ctx.userId);
  const fields = readTrackFields(data, false);
  if (fields.title !== undefined && String(fields.title).trim() === "") throw new Rejection("title is required");
  ctx.state.updateEntity("tracks", ctx.entityId, { ...fields, updated_at: ctx.action.timestamp });
  await writeTrackFts(ctx);
}

export async function deleteTrack(ctx: ActionContext): Promise<void> {
  await requireOwnTrack(ctx);
  ctx.state.updateEntity("tracks", ctx.entityId, { is_delete: 1, updated_at: ctx.action.timestamp });
  ctx.state.addCount("users", ctx.userId, "track_count", -1);
  ctx.state.setSearch("tracks_fts", ctx.entityId, null);
}
