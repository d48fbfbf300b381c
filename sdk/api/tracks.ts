/** The `asix.tracks` namespace of the client (see ../asix.ts). */
import type { UploadTrackParameters, UploadTrackResult } from "../tracks/uploadTrack";
import type { StreamTrackParameters, StreamTrackResult } from "../tracks/streamTrack";
import type { UpdateTrackParameters } from "../tracks/updateTrack";
import type { SearchTracksParameters, TrendingParameters } from "../tracks/lists";
import type { TrackAnalysis } from "../tracks/getTrackAnalysis";
import type { TrackWaveform } from "../tracks/getTrackWaveform";
import type { ListParameters } from "../reads";
import type { CallOptions } from "../http";
import type { WriteReceipt } from "../writes";
import type { Track, User } from "../models";

/** Tracks: upload, stream, edit, save, repost, search and trending. */
export interface TracksApi {
  /**
   * Publish a track: upload the audio (and optional cover art) to a content node, wait for the
   * transcode, write the Track on chain through the relay, and wait until the discovery node
   * shows it. The wallet needs a user (users.create) and no gas.
   *
   * @param file - the audio: a file path, bytes (`Uint8Array`) or a readable stream.
   * @param metadata - `title` (required), and optional `genre`, `mood`, `tags`, `description` (≤ 2,500), `releaseDate`, `isDownloadable`, `previewStartSeconds`.
   * @param options - optional `filename`, `cover` (image path, bytes or stream) and `onProgress`, called with each phase (`upload`, `transcode`, `cover`, `write`) and its progress 0..1.
   * @returns The new track's hashid, its CIDs (320 kbps, preview, original), duration in seconds and where the write landed.
   * @throws {AsixError} INVALID_INPUT when the title is missing, the description is too long, the file is missing or empty, or the client has no wallet or user.
   * @throws {AsixError} UNSUPPORTED_MEDIA when the content node cannot read the file as audio.
   * @throws {AsixError} PAYLOAD_TOO_LARGE when the file is over the content node's limit.
   * @throws {AsixError} RATE_LIMITED when the content node or relay limits this wallet.
   * @throws {AsixError} UPLOAD_FAILED when the content node could not transcode the audio.
   * @throws {AsixError} TIMEOUT when transcoding or indexing takes too long.
   * @throws {AsixError} NODE_UNAVAILABLE when no healthy content node, or the discovery node, can be reached.
   * @example
   * ```ts
   * const { trackId, duration } = await asix.tracks.upload("song.mp3", { title: "Night Drive", genre: "Electronic" }, {
   *   onProgress: ({ phase, progress }) => console.log(phase, Math.round(progress * 100), "%"),
   * });
   * ```
   */
  upload(file: UploadTrackParameters["file"], metadata: UploadTrackParameters["metadata"], options?: Omit<UploadTrackParameters, "file" | "metadata">): Promise<UploadTrackResult>;
  /**
   * A track by id.
   *
   * @param id - integer id or hashid.
   * @param options - `signal` to abort the call, `timeoutMs` to bound it.
   * @returns The track, with its owner.
   * @throws {AsixError} INVALID_INPUT when the id is neither an integer nor a hashid.
   * @throws {AsixError} NOT_FOUND when there is no such track (or it was deleted).
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const track = await asix.tracks.get(trackId);
   * console.log(track.title, "by", track.user.handle);
   * ```
   */
  get(id: number | string, options?: CallOptions): Promise<Track>;
  /**
   * A track's tempo, key, loudness and waveform CID, from the content node's music analysis. The
   * analysis runs after the upload, so a new track shows nulls (and errorCount 0) for a few seconds;
   * a part that failed stays null and counts in errorCount.
   *
   * @param id - integer id or hashid.
   * @param options - `signal` to abort the call, `timeoutMs` to bound it.
   * @returns `bpm`, `musicalKey` (e.g. "A minor"), `loudness` (`integrated` LUFS, `range` LU, `truePeak` dBTP, `trackGain` dB), `waveformCid` and `errorCount`.
   * @throws {AsixError} INVALID_INPUT when the id is neither an integer nor a hashid.
   * @throws {AsixError} NOT_FOUND when there is no such track (or it was deleted).
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const { bpm, musicalKey, loudness } = await asix.tracks.getAnalysis(trackId);
   * console.log(`${bpm} BPM in ${musicalKey}, ${loudness?.integrated} LUFS`);
   * ```
   */
  getAnalysis(id: number | string, options?: CallOptions): Promise<TrackAnalysis>;
  /**
   * A track's waveform peaks (min/max pairs per pixel, BBC audiowaveform v2 with camelCase keys),
   * fetched by CID from the content nodes and checked against it.
   *
   * @param id - integer id or hashid.
   * @param options - `signal` to abort the call, `timeoutMs` to bound each request.
   * @returns The waveform: `cid`, `sampleRate`, `samplesPerPixel`, `bits`, `length` and `data` (min, max, min, max, …).
   * @throws {AsixError} INVALID_INPUT when the id is neither an integer nor a hashid.
   * @throws {AsixError} NOT_FOUND when there is no such track, or it has no waveform (not analysed yet, or the analysis failed).
   * @throws {AsixError} NODE_UNAVAILABLE when no node can be reached, or none serves bytes that match the CID.
   * @example
   * ```ts
   * const { data, length } = await asix.tracks.getWaveform(trackId);
   * const loudestPixel = Array.from({ length }, (_, i) => data[2 * i + 1] - data[2 * i]).reduce((best, v, i, all) => (v > all[best] ? i : best), 0);
   * ```
   */
  getWaveform(id: number | string, options?: CallOptions): Promise<TrackWaveform>;
  /**
   * Stream a track's audio, whole or a byte range, from the content node the discovery node
   * redirects to (with its stream signature).
   *
   * @param id - integer id or hashid.
   * @param options - optional `range` `{ start, end? }`, inclusive byte offsets.
   * @returns The audio bytes as a stream (iterate it with `for await`), with status, type, length and the serving node's URL.
   * @throws {AsixError} INVALID_INPUT when the id or range is invalid.
   * @throws {AsixError} NOT_FOUND when there is no such track.
   * @throws {AsixError} RANGE_NOT_SATISFIABLE when the range starts past the end of the file.
   * @throws {AsixError} NODE_UNAVAILABLE when no node holding the audio can be reached.
   * @example
   * ```ts
   * const { stream, contentLength } = await asix.tracks.stream(trackId, { range: { start: 0, end: 65535 } });
   * for await (const chunk of stream) player.write(chunk);
   * ```
   */
  stream(id: number | string, options?: StreamTrackParameters): Promise<StreamTrackResult>;
  /**
   * The content-node URL, signed by the discovery node, that serves a track: for an `<audio>`
   * element or a player that fetches by itself.
   *
   * @param id - integer id or hashid.
   * @param options - `signal` to abort the call, `timeoutMs` to bound it.
   * @returns The URL.
   * @throws {AsixError} INVALID_INPUT when the id is invalid.
   * @throws {AsixError} NOT_FOUND when there is no such track.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * audio.src = await asix.tracks.getStreamUrl(trackId);
   * ```
   */
  getStreamUrl(id: number | string, options?: CallOptions): Promise<string>;
  /**
   * Change a track's metadata (owner only); fields left out stay as they are.
   *
   * @param id - integer id or hashid.
   * @param params - any of `title`, `genre`, `mood`, `tags`, `description`, `releaseDate`, `isDownloadable`, `coverArtUploadId`; also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when nothing is given, the title is empty, the description is too long, or the client has no wallet or user.
   * @throws {AsixError} UNAUTHORIZED when the wallet's user does not own the track.
   * @throws {AsixError} NOT_FOUND when there is no such track.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.tracks.update(trackId, { title: "Night Drive (remaster)" });
   * ```
   */
  update(id: number | string, params: UpdateTrackParameters): Promise<WriteReceipt>;
  /**
   * Delete a track (owner only).
   *
   * @param id - integer id or hashid.
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the id is invalid or the client has no wallet or user.
   * @throws {AsixError} UNAUTHORIZED when the wallet's user does not own the track.
   * @throws {AsixError} NOT_FOUND when there is no such track.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.tracks.delete(trackId);
   * ```
   */
  delete(id: number | string, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * Save (favorite) a track as the wallet's user; a second save changes nothing.
   *
   * @param id - integer id or hashid of the track.
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the id is invalid or the client has no wallet or user.
   * @throws {AsixError} NOT_FOUND when there is no such track.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.tracks.save(trackId);
   * ```
   */
  save(id: number | string, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * Undo a save.
   *
   * @param id - integer id or hashid of the track.
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the id is invalid or the client has no wallet or user.
   * @throws {AsixError} NOT_FOUND when there is no such track.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.tracks.unsave(trackId);
   * ```
   */
  unsave(id: number | string, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * Repost a track to the wallet's user's followers.
   *
   * @param id - integer id or hashid of the track.
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the id is invalid or the client has no wallet or user.
   * @throws {AsixError} NOT_FOUND when there is no such track.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.tracks.repost(trackId);
   * ```
   */
  repost(id: number | string, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * Undo a repost.
   *
   * @param id - integer id or hashid of the track.
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the id is invalid or the client has no wallet or user.
   * @throws {AsixError} NOT_FOUND when there is no such track.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.tracks.unrepost(trackId);
   * ```
   */
  unrepost(id: number | string, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * Tracks whose title, tags or genre match (prefix matching, ranked), within a tempo range and
   * keys when given (only analysed tracks match those).
   *
   * @param query - the text to match; may be empty ("") when a filter is given.
   * @param params - `offset` and `limit`; `bpmMin` and `bpmMax` (inclusive); `key`, one musical key such as "A minor" or several.
   * @returns One page of matching tracks.
   * @throws {AsixError} INVALID_INPUT when the query is empty without a filter, or a filter or the paging is invalid.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const hits = await asix.tracks.search("night drive", { limit: 20 });
   * const forTheSet = await asix.tracks.search("", { bpmMin: 120, bpmMax: 128, key: ["A minor", "C major"] });
   * ```
   */
  search(query: string, params?: SearchTracksParameters): Promise<Track[]>;
  /**
   * Trending tracks: reposts, saves and plays with time decay.
   *
   * @param params - optional `time` (`week`, `month`, `allTime`; default week), `genre`, `offset`, `limit`.
   * @returns One page of tracks, most trending first.
   * @throws {AsixError} INVALID_INPUT when the paging is invalid.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const top = await asix.tracks.trending({ time: "month", genre: "Electronic", limit: 10 });
   * ```
   */
  trending(params?: TrendingParameters): Promise<Track[]>;
  /**
   * The users who saved a track.
   *
   * @param id - integer id or hashid of the track.
   * @param paging - `offset` and `limit`.
   * @returns One page of users.
   * @throws {AsixError} INVALID_INPUT when the id or paging is invalid.
   * @throws {AsixError} NOT_FOUND when there is no such track.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const fans = await asix.tracks.favorites(trackId);
   * ```
   */
  favorites(id: number | string, paging?: ListParameters): Promise<User[]>;
  /**
   * The users who reposted a track.
   *
   * @param id - integer id or hashid of the track.
   * @param paging - `offset` and `limit`.
   * @returns One page of users.
   * @throws {AsixError} INVALID_INPUT when the id or paging is invalid.
   * @throws {AsixError} NOT_FOUND when there is no such track.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const reposters = await asix.tracks.reposts(trackId);
   * ```
   */
  reposts(id: number | string, paging?: ListParameters): Promise<User[]>;
}
