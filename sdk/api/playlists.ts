/** The `asix.playlists` namespace of the client (see ../asix.ts). */
import type { CreatePlaylistResult, PlaylistFields } from "../playlists/playlists";
import type { ListParameters } from "../reads";
import type { CallOptions } from "../http";
import type { WriteReceipt } from "../writes";
import type { Playlist, Track } from "../models";

/** Playlists and albums: create, edit, reorder, save and repost. */
export interface PlaylistsApi {
  /**
   * Create a playlist, or an album with `isAlbum`, owned by the wallet's user.
   *
   * @param params - `name` (required), and optional `description` (≤ 2,500), `isAlbum`, `isPrivate`, `trackIds` in order, `imageUploadId`; also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns The new playlist's hashid and where the write landed.
   * @throws {AsixError} INVALID_INPUT when the name is missing, the description is too long, a track id is invalid, there are more than 5,000 tracks, or the client has no wallet or user.
   * @throws {AsixError} NOT_FOUND when a listed track does not exist.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * const { playlistId } = await asix.playlists.create({ name: "Late Night", trackIds: [a, b] });
   * const album = await asix.playlists.create({ name: "First LP", isAlbum: true, trackIds: [c, d] });
   * ```
   */
  create(params: PlaylistFields & CallOptions): Promise<CreatePlaylistResult>;
  /**
   * A playlist by id, with its contents.
   *
   * @param id - integer id or hashid.
   * @param options - `signal` to abort the call, `timeoutMs` to bound it.
   * @returns The playlist; `playlistContents` lists its track ids in order.
   * @throws {AsixError} INVALID_INPUT when the id is invalid.
   * @throws {AsixError} NOT_FOUND when there is no such playlist.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const playlist = await asix.playlists.get(playlistId);
   * ```
   */
  get(id: number | string, options?: CallOptions): Promise<Playlist>;
  /**
   * The tracks of a playlist, in order.
   *
   * @param id - integer id or hashid.
   * @param options - `signal` to abort the call, `timeoutMs` to bound it.
   * @returns The tracks.
   * @throws {AsixError} INVALID_INPUT when the id is invalid.
   * @throws {AsixError} NOT_FOUND when there is no such playlist.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const titles = (await asix.playlists.tracks(playlistId)).map((t) => t.title);
   * ```
   */
  tracks(id: number | string, options?: CallOptions): Promise<Track[]>;
  /**
   * Playlists whose name matches.
   *
   * @param query - the text to match; not empty.
   * @param paging - `offset` and `limit`.
   * @returns One page of playlists.
   * @throws {AsixError} INVALID_INPUT when the query is empty or the paging is invalid.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const found = await asix.playlists.search("late night");
   * ```
   */
  search(query: string, paging?: ListParameters): Promise<Playlist[]>;
  /**
   * Change a playlist's fields (owner only); `trackIds` replaces the whole track list.
   *
   * @param id - integer id or hashid.
   * @param params - any of the creation fields; also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when nothing is given, an id is invalid, or the client has no wallet or user.
   * @throws {AsixError} UNAUTHORIZED when the wallet's user does not own the playlist.
   * @throws {AsixError} NOT_FOUND when there is no such playlist or track.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.playlists.update(playlistId, { name: "Later Night", isPrivate: true });
   * ```
   */
  update(id: number | string, params: Partial<PlaylistFields>): Promise<WriteReceipt>;
  /**
   * Delete a playlist (owner only).
   *
   * @param id - integer id or hashid.
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the id is invalid or the client has no wallet or user.
   * @throws {AsixError} UNAUTHORIZED when the wallet's user does not own the playlist.
   * @throws {AsixError} NOT_FOUND when there is no such playlist.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.playlists.delete(playlistId);
   * ```
   */
  delete(id: number | string, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * Append a track to a playlist, or insert it at `index`.
   *
   * @param id - the playlist (integer id or hashid).
   * @param trackId - the track to add.
   * @param index - where to insert it, 0..length (default: at the end).
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when an id is invalid, the index is out of range, or the client has no wallet or user.
   * @throws {AsixError} UNAUTHORIZED when the wallet's user does not own the playlist.
   * @throws {AsixError} NOT_FOUND when there is no such playlist or track.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.playlists.addTrack(playlistId, trackId, 0); // first
   * ```
   */
  addTrack(id: number | string, trackId: number | string, index?: number, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * Remove a track from a playlist (its first occurrence).
   *
   * @param id - the playlist (integer id or hashid).
   * @param trackId - the track to remove.
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when an id is invalid or the client has no wallet or user.
   * @throws {AsixError} UNAUTHORIZED when the wallet's user does not own the playlist.
   * @throws {AsixError} NOT_FOUND when there is no such playlist, or the track is not in it.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.playlists.removeTrack(playlistId, trackId);
   * ```
   */
  removeTrack(id: number | string, trackId: number | string, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * Put a playlist's tracks in a new order: the same tracks, permuted.
   *
   * @param id - the playlist (integer id or hashid).
   * @param trackIds - every current track, in the new order.
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the list is not a permutation of the current tracks, an id is invalid, or the client has no wallet or user.
   * @throws {AsixError} UNAUTHORIZED when the wallet's user does not own the playlist.
   * @throws {AsixError} NOT_FOUND when there is no such playlist.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.playlists.reorder(playlistId, [c, a, b]);
   * ```
   */
  reorder(id: number | string, trackIds: Array<number | string>, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * Save a playlist as the wallet's user.
   *
   * @param id - integer id or hashid.
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the id is invalid or the client has no wallet or user.
   * @throws {AsixError} NOT_FOUND when there is no such playlist.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.playlists.save(playlistId);
   * ```
   */
  save(id: number | string, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * Undo a save.
   *
   * @param id - integer id or hashid.
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the id is invalid or the client has no wallet or user.
   * @throws {AsixError} NOT_FOUND when there is no such playlist.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.playlists.unsave(playlistId);
   * ```
   */
  unsave(id: number | string, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * Repost a playlist to the wallet's user's followers.
   *
   * @param id - integer id or hashid.
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the id is invalid or the client has no wallet or user.
   * @throws {AsixError} NOT_FOUND when there is no such playlist.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.playlists.repost(playlistId);
   * ```
   */
  repost(id: number | string, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * Undo a repost.
   *
   * @param id - integer id or hashid.
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the id is invalid or the client has no wallet or user.
   * @throws {AsixError} NOT_FOUND when there is no such playlist.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.playlists.unrepost(playlistId);
   * ```
   */
  unrepost(id: number | string, options?: CallOptions): Promise<WriteReceipt>;
}
