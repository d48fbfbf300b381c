import {
  LIMITS, Rejection, parseEntityMetadata, readBool, readPlaylistContents, readRef, readRequiredString, readString,
  type MetadataData, type PlaylistEntry,
} from "../metadata";
import { Ignored, insertRow, requireActor, updateRow, type ActionContext } from "./context";

interface PlaylistRow {
  playlist_id: number;
  owner_id: number;
  is_delete: number;
  is_album: number;
  playlist_contents: string;
}

/** Referenced tracks must exist and not be deleted (checked for tracks not already in the playlist). */
async function checkTracks(ctx: ActionContext, entries: PlaylistEntry[], alreadyThere: Set<number>): Promise<void> {
  for (const { track_id } of entries) {
    if (alreadyThere.has(track_id)) continue;
    const row = (await ctx.db.get("SELECT is_delete FROM tracks WHERE track_id = ?", [track_id])) as { is_delete: number } | undefined;
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

async function writePlaylistFts(ctx: ActionContext, name: string): Promise<void> {
  (await ctx.db.run("DELETE FROM playlists_fts WHERE rowid = ?", [ctx.entityId]));
  (await ctx.db.run("INSERT INTO playlists_fts (rowid, playlist_name) VALUES (?, ?)", [ctx.entityId, name]));
}

async function requireOwnPlaylist(ctx: ActionContext): Promise<PlaylistRow> {
  await requireActor(ctx);
  const row = (await ctx.db.get("SELECT playlist_id, owner_id, is_delete, is_album, playlist_contents FROM playlists WHERE playlist_id = ?", [ctx.entityId])) as PlaylistRow | undefined;
  if (!row || row.is_delete) throw new Rejection(`playlist ${ctx.entityId} does not exist`, "not_found");
  if (row.owner_id !== ctx.userId) throw new Rejection(`user ${ctx.userId} does not own playlist ${ctx.entityId}`, "unauthorized");
  return row;
}

export async function createPlaylist(ctx: ActionContext): Promise<void> {
  const { db, action } = ctx;
  await requireActor(ctx);
  if ((await db.get("SELECT 1 FROM playlists WHERE playlist_id = ?", [ctx.entityId]))) throw new Ignored(`playlist ${ctx.entityId} already exists`);
  const data = parseEntityMetadata(action.metadata);
  const { contents, ...fields } = readPlaylistFields(ctx, data, true);
  await checkTracks(ctx, contents ?? [], new Set());
  await insertRow(db, "playlists", {
    ...fields,
    playlist_contents: JSON.stringify(contents ?? []),
    playlist_id: ctx.entityId,
    owner_id: ctx.userId,
    created_at: action.timestamp,
    updated_at: action.timestamp,
    blocknumber: action.blocknumber,
    txhash: action.txhash,
  });
  (await db.run(`UPDATE users SET ${countColumn(fields.is_album ?? 0)} = ${countColumn(fields.is_album ?? 0)} + 1 WHERE user_id = ?`, [ctx.userId]));
  await writePlaylistFts(ctx, fields.playlist_name!);
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
  await updateRow(ctx.db, "playlists", "playlist_id", ctx.entityId, { ...fields, playlist_contents: contents && JSON.stringify(contents) }, ctx.action.timestamp);
  if (fields.is_album !== undefined && fields.is_album !== existing.is_album) {
    (await ctx.db.run(`UPDATE users SET ${countColumn(existing.is_album)} = ${countColumn(existing.is_album)} - 1, ${countColumn(fields.is_album)} = ${countColumn(fields.is_album)} + 1 WHERE user_id = ?`, [ctx.userId]));
  }
  const name = ((await ctx.db.get("SELECT playlist_name FROM playlists WHERE playlist_id = ?", [ctx.entityId])) as { playlist_name: string }).playlist_name;
  await writePlaylistFts(ctx, name);
}

export async function deletePlaylist(ctx: ActionContext): Promise<void> {
  const existing = await requireOwnPlaylist(ctx);
  (await ctx.db.run("UPDATE playlists SET is_delete = 1, updated_at = ? WHERE playlist_id = ?", [ctx.action.timestamp, ctx.entityId]));
  (await ctx.db.run(`UPDATE users SET ${countColumn(existing.is_album)} = ${countColumn(existing.is_album)} - 1 WHERE user_id = ?`, [ctx.userId]));
  (await ctx.db.run("DELETE FROM playlists_fts WHERE rowid = ?", [ctx.entityId]));
}
