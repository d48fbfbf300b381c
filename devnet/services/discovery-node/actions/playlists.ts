import {
  LIMITS, Rejection, parseEntityMetadata, readBool, readPlaylistContents, readRef, readRequiredString, readString,
  type MetadataData, type PlaylistEntry,
} from "../metadata";
import { Ignored, requireActor, type ActionContext } from "./context";
import type { PlaylistState } from "./state";

/** Referenced tracks must exist and not be deleted (checked for tracks not already in the playlist). */
async function checkTracks(ctx: ActionContext, entries: PlaylistEntry[], alreadyThere: Set<number>): Promise<void> {
  for (const { track_id } of entries) {
    if (alreadyThere.has(track_id)) continue;
    const row = await ctx.state.track(track_id);
    if (!row || row.is_delete) throw new Rejection(`playlist references track ${track_id}, which does not exist`, "not_found");
  }
}

function readPlaylistFields(ctx: ActionContext, data: MetadataData, creating: boolean) {
  return {
    playlist_name: creating
      ? readRequiredString(data, "playlist_name", LIMITS.playlistName)
      : readString(data, "playlist_name", LIMITS.playlistName),
    description: readString(data, "description", LIMITS.description),
    is_album: toInt(readBool(data, "is_album")),
    is_private: toInt(readBool(data, "is_private")),
    playlist_image_sizes_multihash: readRef(data, "playlist_image_sizes_multihash"),
    contents: readPlaylistContents(data, "playlist_contents", ctx.action.timestamp),
  };
}

const toInt = (b: boolean | undefined) => (b === undefined ? undefined : b ? 1 : 0);
const countColumn = (isAlbum: number) => (isAlbum ? "album_count" : "playlist_count");

function writePlaylistFts(ctx: ActionContext, name: string, fresh = false): void {
  ctx.state.setSearch("playlists_fts", ctx.entityId, { playlist_name: name }, fresh);
}

async function requireOwnPlaylist(ctx: ActionContext): Promise<PlaylistState> {
  await requireActor(ctx);
  const row = await ctx.state.playlist(ctx.entityId);
  if (!row || row.is_delete) throw new Rejection(`playlist ${ctx.entityId} does not exist`, "not_found");
  if (row.owner_id !== ctx.userId) throw new Rejection(`user ${ctx.userId} does not own playlist ${ctx.entityId}`, "unauthorized");
  return row;
}

export async function createPlaylist(ctx: ActionContext): Promise<void> {
  const { state, action } = ctx;
  await requireActor(ctx);
  if (await state.playlist(ctx.entityId)) throw new Ignored(`playlist ${ctx.entityId} already exists`);
  const data = parseEntityMetadata(action.metadata);
  const { contents, ...fields } = readPlaylistFields(ctx, data, true);
  await checkTracks(ctx, contents ?? [], new Set());
  state.insertEntity("playlists", {
    ...fields,
    playlist_contents: JSON.stringify(contents ?? []),
    playlist_id: ctx.entityId,
    owner_id: ctx.userId,
    created_at: action.timestamp,
    updated_at: action.timestamp,
    blocknumber: action.blocknumber,
    txhash: action.txhash,
  });
  state.addCount("users", ctx.userId, countColumn(fields.is_album ?? 0), 1);
  writePlaylistFts(ctx, fields.playlist_name!, true);
}

/** Update replaces the fields it carries; adding, removing and reordering tracks are Updates of playlist_contents. */
export async function updatePlaylist(ctx: ActionContext): Promise<void> {
  const existing = await requireOwnPlaylist(ctx);
  const data = parseEntityMetadata(ctx.action.metadata);
  const { contents, ...fields } = readPlaylistFields(ctx, data, false);
  if (fields.playlist_name !== undefined && fields.playlist_name.trim() === "") throw new Rejection("playlist_name is required");
  if (contents) {
    const before = new Set((JSON.parse(existing.playlist_contents) as PlaylistEntry[]).map((e) => e.track_id));
    await checkTracks(ctx, contents, before);
  }
  ctx.state.updateEntity("playlists", ctx.entityId, { ...fields, playlist_contents: contents && JSON.stringify(contents), updated_at: ctx.action.timestamp });
  if (fields.is_album !== undefined && fields.is_album !== existing.is_album) {
    ctx.state.addCount("users", ctx.userId, countColumn(existing.is_album), -1);
    ctx.state.addCount("users", ctx.userId, countColumn(fields.is_album), 1);
  }
  writePlaylistFts(ctx, (await ctx.state.playlist(ctx.entityId))!.playlist_name);
}

export async function deletePlaylist(ctx: ActionContext): Promise<void> {
  const existing = await requireOwnPlaylist(ctx);
  ctx.state.updateEntity("playlists", ctx.entityId, { is_delete: 1, updated_at: ctx.action.timestamp });
  ctx.state.addCount("users", ctx.userId, countColumn(existing.is_album), -1);
  ctx.state.setSearch("playlists_fts", ctx.entityId, null);
}
