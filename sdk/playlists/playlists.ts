import { AsixError } from "../errors";
import { encodeHashId, toEntityId } from "../hashids";
import type { AsixClient } from "../client";
import type { Playlist, Track } from "../models";
import type * as wire from "../protocol/models";
import { getData, hashIdOf, pagingOf, unclaimedId, type ListParameters } from "../reads";
import type { CallOptions } from "../http";
import { MAX_PLAYLIST_TRACKS } from "../limits";
import { manageEntity, type WriteReceipt } from "../writes";
import { assertApplied, resolveUserId } from "../users/currentUser";
import { withBudget, type CallBudget } from "../callBudget";

// Its home is ../limits (which the SDK's entry loads without this module).
export { MAX_PLAYLIST_TRACKS };

/** A playlist's fields, for create and update. */
export interface PlaylistFields {
  /** the playlist's name */
  name: string;
  /** ≤ 2,500 characters */
  description?: string;
  /** an album rather than a playlist */
  isAlbum?: boolean;
  /** hidden from everyone but its owner */
  isPrivate?: boolean;
  /** tracks in order (ids or hashids) */
  trackIds?: Array<number | string>;
  /** upload id of an img_square upload */
  imageUploadId?: string;
}

export interface CreatePlaylistResult extends WriteReceipt {
  /** the new playlist's hashid */
  playlistId: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function contentsOf(trackIds: Array<number | string>, timestamps?: Map<number, number>) {
  if (trackIds.length > MAX_PLAYLIST_TRACKS) throw new AsixError("INVALID_INPUT", `a playlist holds at most ${MAX_PLAYLIST_TRACKS} tracks`);
  return trackIds.map((id) => {
    const track_id = toEntityId(id, "track id");
    return { track_id, timestamp: timestamps?.get(track_id) ?? nowSeconds() };
  });
}

async function write(client: AsixClient, budget: CallBudget, playlistId: number, action: string, data?: Record<string, unknown>): Promise<WriteReceipt> {
  const userId = await resolveUserId(client, `playlists.${action.toLowerCase()}`, budget.next());
  const receipt = await manageEntity(client, { userId, entityType: "Playlist", entityId: playlistId, action, data, ...budget.next() });
  await assertApplied(client, receipt, budget.next());
  return receipt;
}

/** Create a playlist (or an album with `isAlbum`); `signal` and `timeoutMs` bound the whole write. */
export async function createPlaylist(client: AsixClient, params: PlaylistFields & CallOptions): Promise<CreatePlaylistResult> {
  if (typeof params?.name !== "string" || params.name.trim() === "") throw new AsixError("INVALID_INPUT", "playlist name is required");
  if (params.description !== undefined && params.description.length > 2500)
    throw new AsixError("INVALID_INPUT", "description must be at most 2,500 characters");
  const playlist_contents = contentsOf(params.trackIds ?? []);
  return withBudget(params, "playlists.create", async (budget) => {
    await resolveUserId(client, "playlists.create", budget.next());
    const id = await unclaimedId(client, "playlists", budget.next());
    const receipt = await write(client, budget, id, "Create", {
      playlist_name: params.name,
      description: params.description ?? "",
      is_album: params.isAlbum ?? false,
      is_private: params.isPrivate ?? false,
      playlist_contents,
      playlist_image_sizes_multihash: params.imageUploadId,
    });
    return { ...receipt, playlistId: encodeHashId(id) };
  });
}

/** A playlist by id. NOT_FOUND if there is none. (The API answers an array of one.) */
export async function getPlaylist(client: AsixClient, id: number | string, options: CallOptions = {}): Promise<Playlist> {
  const data = await getData<wire.Playlist[]>(client, `/v1/playlists/${hashIdOf(id, "playlist id")}`, undefined, "get playlist", options);
  if (!Array.isArray(data) || data.length === 0) throw new AsixError("NOT_FOUND", `playlist ${id} not found`);
  return data[0];
}

/** The tracks of a playlist, in order. */
export async function getPlaylistTracks(client: AsixClient, id: number | string, options: CallOptions = {}): Promise<Track[]> {
  return getData<wire.Track[]>(client, `/v1/playlists/${hashIdOf(id, "playlist id")}/tracks`, undefined, "playlist tracks", options);
}

/** Playlists whose name matches. */
export async function searchPlaylists(client: AsixClient, query: string, paging: ListParameters = {}): Promise<Playlist[]> {
  if (typeof query !== "string" || query.trim() === "") throw new AsixError("INVALID_INPUT", "search query must not be empty");
  return getData<wire.Playlist[]>(client, "/v1/playlists/search", { query, ...pagingOf(paging) }, "search playlists", paging);
}

/** Change a playlist's fields (owner only). `trackIds` replaces the whole track list. `signal` and `timeoutMs` bound the whole write. */
export async function updatePlaylist(client: AsixClient, id: number | string, params: Partial<PlaylistFields> & CallOptions): Promise<WriteReceipt> {
  const playlistId = toEntityId(id, "playlist id");
  return withBudget(params, "playlists.update", async (budget) => {
    const data: Record<string, unknown> = {
      playlist_name: params.name,
      description: params.description,
      is_album: params.isAlbum,
      is_private: params.isPrivate,
      playlist_image_sizes_multihash: params.imageUploadId,
    };
    if (params.trackIds) {
      const current = await getPlaylist(client, playlistId, budget.next());
      const added = new Map(current.playlistContents.map((c) => [toEntityId(c.trackId, "track id"), c.timestamp]));
      data.playlist_contents = contentsOf(params.trackIds, added);
    }
    if (Object.values(data).every((v) => v === undefined)) throw new AsixError("INVALID_INPUT", "nothing to update");
    return write(client, budget, playlistId, "Update", data);
  });
}

function editTracks(client: AsixClient, id: number | string, options: CallOptions, edit: (ids: number[]) => number[]): Promise<WriteReceipt> {
  return withBudget(options, "playlists.update", async (budget) => {
    const current = await getPlaylist(client, id, budget.next());
    const ids = current.playlistContents.map((c) => toEntityId(c.trackId, "track id"));
    return updatePlaylist(client, id, { trackIds: edit(ids), ...budget.next() });
  });
}

/** Append a track (or insert it at `index`); `signal` and `timeoutMs` bound the whole write. */
export async function addPlaylistTrack(
  client: AsixClient,
  id: number | string,
  trackId: number | string,
  index?: number,
  options: CallOptions = {},
): Promise<WriteReceipt> {
  const track = toEntityId(trackId, "track id");
  return editTracks(client, id, options, (ids) => {
    const at = index === undefined ? ids.length : index;
    if (!Number.isInteger(at) || at < 0 || at > ids.length) throw new AsixError("INVALID_INPUT", `index ${index} is outside 0..${ids.length}`);
    return [...ids.slice(0, at), track, ...ids.slice(at)];
  });
}

/** Remove a track (its first occurrence). */
export async function removePlaylistTrack(client: AsixClient, id: number | string, trackId: number | string, options: CallOptions = {}): Promise<WriteReceipt> {
  const track = toEntityId(trackId, "track id");
  return editTracks(client, id, options, (ids) => {
    const at = ids.indexOf(track);
    if (at === -1) throw new AsixError("NOT_FOUND", `track ${trackId} is not in playlist ${id}`);
    return [...ids.slice(0, at), ...ids.slice(at + 1)];
  });
}

/** Put the playlist's tracks in a new order: the same tracks, permuted. */
export async function reorderPlaylist(
  client: AsixClient,
  id: number | string,
  trackIds: Array<number | string>,
  options: CallOptions = {},
): Promise<WriteReceipt> {
  const wanted = trackIds.map((t) => toEntityId(t, "track id"));
  return editTracks(client, id, options, (ids) => {
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b).join(",");
    if (sorted(ids) !== sorted(wanted)) throw new AsixError("INVALID_INPUT", "reorder must list exactly the playlist's current tracks");
    return wanted;
  });
}

/** Delete a playlist (owner only). */
export async function deletePlaylist(client: AsixClient, id: number | string, options: CallOptions = {}): Promise<WriteReceipt> {
  const playlistId = toEntityId(id, "playlist id");
  return withBudget(options, "playlists.delete", (budget) => write(client, budget, playlistId, "Delete"));
}
