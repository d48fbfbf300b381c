/** The `asix.users` namespace of the client (see ../asix.ts). */
import type { CreateUserParameters, CreateUserResult } from "../users/createUser";
import type { UpdateProfileParameters, UpdateUserParameters } from "../users/updateUser";
import type { VerificationUrlParameters, VerifyUserParameters, VerifyUserResult } from "../users/verifyUser";
import type { ListParameters } from "../reads";
import type { CallOptions } from "../http";
import type { WriteReceipt } from "../writes";
import type { Favorite, Playlist, Repost, Track, User } from "../models";

/** Users: create, read, follow, subscribe, profile and verification. */
export interface UsersApi {
  /**
   * Create the wallet's user (one wallet owns one user); later writes act as it. The write is
   * signed by the wallet and relayed, so the wallet needs no gas.
   *
   * @param params - `handle` (unique, `[A-Za-z0-9_]{1,30}`), and optional `name`, `bio` (≤ 256), `location`, picture upload ids; also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns The new user's hashid and where the write landed.
   * @throws {AsixError} INVALID_INPUT when the client has no wallet, or the handle or bio is invalid.
   * @throws {AsixError} CONFLICT when the handle is taken or the wallet already has a user.
   * @throws {AsixError} RATE_LIMITED when the relay limits this wallet's writes.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * const { userId } = await asix.users.create({ handle: "ada", bio: "synths" });
   * ```
   */
  create(params: CreateUserParameters): Promise<CreateUserResult>;
  /**
   * A user by id.
   *
   * @param id - integer id or hashid.
   * @param options - `signal` to abort the call, `timeoutMs` to bound it.
   * @returns The user, camelCased.
   * @throws {AsixError} INVALID_INPUT when the id is neither an integer nor a hashid.
   * @throws {AsixError} NOT_FOUND when there is no such user.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const user = await asix.users.get("eYZmn");
   * console.log(user.handle, user.followerCount);
   * ```
   */
  get(id: number | string, options?: CallOptions): Promise<User>;
  /**
   * A user by handle (case-insensitive).
   *
   * @param handle - the handle, without "@".
   * @param options - `signal` to abort the call, `timeoutMs` to bound it.
   * @returns The user.
   * @throws {AsixError} NOT_FOUND when no user has this handle.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const ada = await asix.users.getByHandle("ada");
   * ```
   */
  getByHandle(handle: string, options?: CallOptions): Promise<User>;
  /**
   * Follow a user as the wallet's user; following twice changes nothing.
   *
   * @param userId - the user to follow (integer id or hashid).
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the client has no wallet or user, the id is invalid, or the user is oneself.
   * @throws {AsixError} NOT_FOUND when the discovery node rejects it because the user does not exist.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.users.follow(artist.id);
   * // give up (AsixError TIMEOUT) if the write is not indexed within 20 s, or when the user navigates away (ABORTED)
   * const leave = new AbortController();
   * await asix.users.follow(artist.id, { timeoutMs: 20_000, signal: leave.signal });
   * ```
   */
  follow(userId: number | string, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * Stop following a user.
   *
   * @param userId - the user to unfollow (integer id or hashid).
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the client has no wallet or user, the id is invalid, or the user is oneself.
   * @throws {AsixError} NOT_FOUND when the discovery node rejects it because the user does not exist.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.users.unfollow(artist.id);
   * ```
   */
  unfollow(userId: number | string, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * The users who follow a user, a page at a time.
   *
   * @param userId - integer id or hashid.
   * @param paging - `offset` (default 0) and `limit` (default 100, at most 500).
   * @returns One page of followers.
   * @throws {AsixError} INVALID_INPUT when the id or paging is invalid.
   * @throws {AsixError} NOT_FOUND when there is no such user.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const firstTen = await asix.users.followers(userId, { limit: 10 });
   * ```
   */
  followers(userId: number | string, paging?: ListParameters): Promise<User[]>;
  /**
   * The users a user follows, a page at a time.
   *
   * @param userId - integer id or hashid.
   * @param paging - `offset` and `limit`.
   * @returns One page of followees.
   * @throws {AsixError} INVALID_INPUT when the id or paging is invalid.
   * @throws {AsixError} NOT_FOUND when there is no such user.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const artists = await asix.users.following(await asix.whoami());
   * ```
   */
  following(userId: number | string, paging?: ListParameters): Promise<User[]>;
  /**
   * A user's tracks, newest first.
   *
   * @param userId - integer id or hashid.
   * @param paging - `offset` and `limit`.
   * @returns One page of tracks.
   * @throws {AsixError} INVALID_INPUT when the id or paging is invalid.
   * @throws {AsixError} NOT_FOUND when there is no such user.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const tracks = await asix.users.tracks(artist.id, { limit: 5 });
   * ```
   */
  tracks(userId: number | string, paging?: ListParameters): Promise<Track[]>;
  /**
   * A user's playlists and albums.
   *
   * @param userId - integer id or hashid.
   * @param paging - `offset` and `limit`.
   * @returns One page of playlists.
   * @throws {AsixError} INVALID_INPUT when the id or paging is invalid.
   * @throws {AsixError} NOT_FOUND when there is no such user.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const albums = (await asix.users.playlists(artist.id)).filter((p) => p.isAlbum);
   * ```
   */
  playlists(userId: number | string, paging?: ListParameters): Promise<Playlist[]>;
  /**
   * What a user reposted; each item says whether it is a track or a playlist.
   *
   * @param userId - integer id or hashid.
   * @param paging - `offset` and `limit`.
   * @returns One page of reposts.
   * @throws {AsixError} INVALID_INPUT when the id or paging is invalid.
   * @throws {AsixError} NOT_FOUND when there is no such user.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const reposts = await asix.users.reposts(userId);
   * ```
   */
  reposts(userId: number | string, paging?: ListParameters): Promise<Repost[]>;
  /**
   * What a user saved.
   *
   * @param userId - integer id or hashid.
   * @param paging - `offset` and `limit`.
   * @returns One page of favorites.
   * @throws {AsixError} INVALID_INPUT when the id or paging is invalid.
   * @throws {AsixError} NOT_FOUND when there is no such user.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const saved = await asix.users.favorites(userId);
   * ```
   */
  favorites(userId: number | string, paging?: ListParameters): Promise<Favorite[]>;
  /**
   * Users whose handle or name matches (prefix matching, ranked).
   *
   * @param query - the text to match; not empty.
   * @param paging - `offset` and `limit`.
   * @returns One page of matching users.
   * @throws {AsixError} INVALID_INPUT when the query is empty or the paging is invalid.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const found = await asix.users.search("ada");
   * ```
   */
  search(query: string, paging?: ListParameters): Promise<User[]>;
  /**
   * Change the wallet's user profile; fields left out stay as they are.
   *
   * @param params - any of `name`, `bio` (≤ 256), `location`, `profilePictureUploadId`, `coverPhotoUploadId`; also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when nothing is given, the bio is too long, or the client has no wallet or user.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.users.update({ bio: "modular synths, Berlin" });
   * ```
   */
  update(params: UpdateUserParameters): Promise<WriteReceipt>;
  /**
   * Upload a profile picture and/or cover photo to a content node, then update the profile.
   *
   * @param params - profile fields plus `profilePicture` and `coverPhoto` (path, bytes or stream); also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns Where the profile write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when nothing is given, a file is missing or empty, or the client has no wallet or user.
   * @throws {AsixError} UNSUPPORTED_MEDIA when a content node cannot read an image.
   * @throws {AsixError} UPLOAD_FAILED when a content node could not resize an image.
   * @throws {AsixError} TIMEOUT when processing or indexing takes too long.
   * @throws {AsixError} NODE_UNAVAILABLE when no content node or discovery node can be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.users.updateProfile({ profilePicture: "avatar.png", name: "Ada" });
   * ```
   */
  updateProfile(params: UpdateProfileParameters): Promise<WriteReceipt>;
  /**
   * Subscribe to a user's uploads.
   *
   * @param userId - integer id or hashid.
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the client has no wallet or user, the id is invalid, or the user is oneself.
   * @throws {AsixError} NOT_FOUND when the discovery node rejects it because the user does not exist.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.users.subscribe(artist.id);
   * ```
   */
  subscribe(userId: number | string, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * Stop a subscription.
   *
   * @param userId - integer id or hashid.
   * @param options - `signal` to abort the write (AsixError ABORTED), `timeoutMs` to bound all of it, relay and wait for indexing included (AsixError TIMEOUT).
   * @returns Where the write landed, once indexed.
   * @throws {AsixError} INVALID_INPUT when the client has no wallet or user, the id is invalid, or the user is oneself.
   * @throws {AsixError} NOT_FOUND when the discovery node rejects it because the user does not exist.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the write within indexTimeoutMs, or the write outlasts `timeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node or relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.users.unsubscribe(artist.id);
   * ```
   */
  unsubscribe(userId: number | string, options?: CallOptions): Promise<WriteReceipt>;
  /**
   * The URL that starts social verification (OAuth 2.0 with PKCE) for the wallet's user: open it
   * in a browser; the identity service then marks the user verified on chain.
   *
   * @param params - optional `loginHint`: which account at the provider.
   * @returns The URL to open.
   * @throws {AsixError} INVALID_INPUT when network.identityUrl is not set or the client has no wallet or user.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * console.log("open", await asix.users.getVerificationUrl());
   * ```
   */
  getVerificationUrl(params?: VerificationUrlParameters): Promise<string>;
  /**
   * Social verification without a browser, for providers that pick the account from `loginHint`
   * (the devnet's); returns once the discovery node shows the user verified.
   *
   * @param params - optional `loginHint`; also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole verification, indexing included.
   * @returns The verification write and the provider account that vouched.
   * @throws {AsixError} INVALID_INPUT when network.identityUrl is not set or the client has no wallet or user.
   * @throws {AsixError} UNAUTHORIZED when the provider does not vouch for the account.
   * @throws {AsixError} TIMEOUT when the discovery node does not index the verification in time, or `timeoutMs` passes first.
   * @throws {AsixError} NODE_UNAVAILABLE when the identity service or discovery node cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * const { providerSubject } = await asix.users.verify({ loginHint: "ada" });
   * ```
   */
  verify(params?: VerifyUserParameters): Promise<VerifyUserResult>;
}
