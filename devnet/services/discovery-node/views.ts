import { encodeHashId } from "../../../sdk/hashids";
import { rendezvousRank } from "../../../sdk/rendezvous";
import type { Artwork, CoverPhoto, Favorite, Playlist, PlaylistTrackEntry, Repost, Track, User } from "../../../sdk/protocol/models";
import type { Db } from "./db";

/**
 * Rows → the §6 models. Everything a response shows comes through here, so every model always has
 * every field with its type.
 */
export interface ViewContext {
  db: Db;
  /** content node endpoints, for image URLs */
  contentNodes: string[];
}

export interface UserRow {
  user_id: number; handle: string; wallet: string; name: string; bio: string; location: string;
  profile_picture_sizes: string; cover_photo_sizes: string; is_verified: number; is_deactivated: number;
  track_count: number; playlist_count: number; album_count: number; follower_count: number; followee_count: number;
  repost_count: number; subscriber_count: number; created_at: number;
}

export interface TrackRow {
  track_id: number; owner_id: number; title: string; genre: string; mood: string; tags: string; description: string;
  track_cid: string; preview_cid: string; orig_file_cid: string; orig_filename: string; audio_upload_id: string; cover_art_sizes: string;
  duration: number; release_date: string; is_downloadable: number; is_delete: number; play_count: number;
  repost_count: number; save_count: number; created_at: number;
}

export interface PlaylistRow {
  playlist_id: number; owner_id: number; playlist_name: string; description: string; is_album: number; is_private: number;
  playlist_contents: string; playlist_image_sizes_multihash: string; is_delete: number; repost_count: number;
  save_count: number; created_at: number;
}

/** URL of an image variant on the content node that ranks first for it; "" when there is no image. */
function imageUrl(ctx: ViewContext, ref: string, variant: string): string {
  if (!ref || ctx.contentNodes.length === 0) return "";
  const node = rendezvousRank(ctx.contentNodes, ref)[0].replace(/\/+$/, "");
  return `${node}/content/${ref}/${variant}`;
}

const square = (ctx: ViewContext, ref: string): Artwork => ({
  "150x150": imageUrl(ctx, ref, "150x150.jpg"),
  "480x480": imageUrl(ctx, ref, "480x480.jpg"),
  "1000x1000": imageUrl(ctx, ref, "1000x1000.jpg"),
});
const backdrop = (ctx: ViewContext, ref: string): CoverPhoto => ({
  "640x": imageUrl(ctx, ref, "640x.jpg"),
  "2000x": imageUrl(ctx, ref, "2000x.jpg"),
});

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

/** URL path segment from a title: lower case, letters and digits joined by dashes. */
export function slugify(text: string): string {
  return text.normalize("NFKD").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "").slice(0, 80);
}

export function userModel(ctx: ViewContext, r: UserRow): User {
  return {
    id: encodeHashId(r.user_id),
    handle: r.handle,
    name: r.name,
    wallet: r.wallet,
    erc_wallet: r.wallet,
    spl_wallet: "",
    spl_usdc_wallet: "",
    bio: r.bio,
    location: r.location,
    profile_picture: square(ctx, r.profile_picture_sizes),
    cover_photo: backdrop(ctx, r.cover_photo_sizes),
    album_count: r.album_count,
    playlist_count: r.playlist_count,
    track_count: r.track_count,
    followee_count: r.followee_count,
    follower_count: r.follower_count,
    repost_count: r.repost_count,
    supporter_count: 0,
    supporting_count: 0,
    total_audio_balance: 0,
    is_verified: r.is_verified === 1,
    verified_with_twitter: false,
    verified_with_instagram: false,
    verified_with_tiktok: false,
    is_deactivated: r.is_deactivated === 1,
    is_available: r.is_deactivated !== 1,
  };
}

export function getUserRow(db: Db, userId: number): Promise<UserRow | undefined> {
  return db.get<UserRow>("SELECT * FROM users WHERE user_id = ?", [userId]);
}

export async function getUser(ctx: ViewContext, userId: number): Promise<User | undefined> {
  const row = await getUserRow(ctx.db, userId);
  return row && userModel(ctx, row);
}

/** Users by id, in the given order (missing ones dropped). */
export async function usersByIds(ctx: ViewContext, ids: number[]): Promise<User[]> {
  return (await Promise.all(ids.map((id) => getUser(ctx, id)))).filter((u): u is User => u !== undefined);
}

export async function trackModel(ctx: ViewContext, r: TrackRow, owner?: User): Promise<Track> {
  const user = owner ?? (await getUser(ctx, r.owner_id))!;
  return {
    id: encodeHashId(r.track_id),
    title: r.title,
    genre: r.genre,
    mood: r.mood,
    tags: r.tags,
    description: r.description,
    user,
    artwork: square(ctx, r.cover_art_sizes),
    duration: r.duration,
    permalink: `/${user.handle}/${slugify(r.title) || "track"}-${r.track_id}`,
    play_count: r.play_count,
    repost_count: r.repost_count,
    favorite_count: r.save_count,
    comment_count: 0,
    is_downloadable: r.is_downloadable === 1,
    is_original_available: r.is_downloadable === 1 && r.orig_file_cid !== "",
    is_streamable: r.is_delete !== 1 && r.track_cid !== "",
    track_cid: r.track_cid,
    preview_cid: r.preview_cid,
    orig_file_cid: r.orig_file_cid,
    orig_filename: r.orig_filename,
    release_date: r.release_date,
    created_at: iso(r.created_at),
    ...(await analysisFields(ctx.db, r.audio_upload_id)),
  };
}

interface UploadAnalysisRow {
  bpm: number | null; musical_key: string | null; loudness: string | null; waveform_cid: string | null; error_count: number;
}

/** A track's analysis fields, from its audio upload's analysis (analysisSync.ts); all null until there is one. */
async function analysisFields(db: Db, uploadId: string): Promise<Pick<Track, "bpm" | "musical_key" | "loudness" | "waveform_cid" | "audio_analysis_error_count">> {
  const row = uploadId
    ? await db.get<UploadAnalysisRow>("SELECT bpm, musical_key, loudness, waveform_cid, error_count FROM upload_analyses WHERE upload_id = ?", [uploadId])
    : undefined;
  return {
    bpm: row?.bpm ?? null,
    musical_key: row?.musical_key ?? null,
    loudness: row?.loudness ? JSON.parse(row.loudness) : null,
    waveform_cid: row?.waveform_cid ?? null,
    audio_analysis_error_count: row?.error_count ?? 0,
  };
}

/** A live (not deleted) track row. */
export function getTrackRow(db: Db, trackId: number): Promise<TrackRow | undefined> {
  return db.get<TrackRow>("SELECT * FROM tracks WHERE track_id = ? AND is_delete = 0", [trackId]);
}

export async function getTrack(ctx: ViewContext, trackId: number): Promise<Track | undefined> {
  const row = await getTrackRow(ctx.db, trackId);
  return row && (await trackModel(ctx, row));
}

export async function tracksByIds(ctx: ViewContext, ids: number[]): Promise<Track[]> {
  return (await Promise.all(ids.map((id) => getTrack(ctx, id)))).filter((t): t is Track => t !== undefined);
}

export async function playlistModel(ctx: ViewContext, r: PlaylistRow): Promise<Playlist> {
  const user = (await getUser(ctx, r.owner_id))!;
  const entries = JSON.parse(r.playlist_contents) as Array<{ track_id: number; timestamp: number; metadata_timestamp: number }>;
  const contents: PlaylistTrackEntry[] = entries.map((e) => ({
    track_id: encodeHashId(e.track_id),
    timestamp: e.timestamp,
    metadata_timestamp: e.metadata_timestamp,
  }));
  const ids = [...new Set(entries.map((e) => e.track_id))];
  let plays = 0;
  for (const id of ids) plays += (await ctx.db.get<{ play_count: number }>("SELECT play_count FROM tracks WHERE track_id = ?", [id]))?.play_count ?? 0;
  const kind = r.is_album ? "album" : "playlist";
  return {
    id: encodeHashId(r.playlist_id),
    playlist_name: r.playlist_name,
    description: r.description,
    permalink: `/${user.handle}/${kind}/${slugify(r.playlist_name) || kind}-${r.playlist_id}`,
    user,
    is_album: r.is_album === 1,
    is_image_autogenerated: false,
    artwork: square(ctx, r.playlist_image_sizes_multihash),
    playlist_contents: contents,
    repost_count: r.repost_count,
    favorite_count: r.save_count,
    total_play_count: plays,
    track_count: contents.length,
    access: { stream: true, download: true },
  };
}

export function getPlaylistRow(db: Db, playlistId: number): Promise<PlaylistRow | undefined> {
  return db.get<PlaylistRow>("SELECT * FROM playlists WHERE playlist_id = ? AND is_delete = 0", [playlistId]);
}

export async function getPlaylist(ctx: ViewContext, playlistId: number): Promise<Playlist | undefined> {
  const row = await getPlaylistRow(ctx.db, playlistId);
  return row && (await playlistModel(ctx, row));
}

export async function repostModel(ctx: ViewContext, r: { item_type: string; item_id: number; created_at: number }): Promise<Repost | undefined> {
  if (r.item_type === "track") {
    const item = await getTrack(ctx, r.item_id);
    return item && { timestamp: iso(r.created_at), item_type: "track", item };
  }
  const item = await getPlaylist(ctx, r.item_id);
  return item && { timestamp: iso(r.created_at), item_type: "playlist", item };
}

export function favoriteModel(r: { user_id: number; item_type: string; item_id: number; created_at: number }): Favorite {
  return {
    favorite_item_id: encodeHashId(r.item_id),
    favorite_type: r.item_type === "track" ? "SaveType.track" : "SaveType.playlist",
    user_id: encodeHashId(r.user_id),
    created_at: iso(r.created_at),
  };
}
