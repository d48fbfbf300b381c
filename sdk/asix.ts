/**
 * The client's declared type: what `createAsix(...)` returns, written out so that editors and the
 * reference show each method's documentation (an inferred type would drop it). `./createAsix`
 * binds these methods to the plain functions `fn(client, params)`.
 */
import type { AsixClient } from "./client";
import type { CallOptions } from "./http";
import type { Signer } from "ethers";
import type { SignUpResult } from "./auth/signUp";
import type { LogInResult } from "./auth/logIn";
import type { ChangePasswordResult } from "./auth/changePassword";
import type { Upload, UploadFileParameters } from "./content/upload";
import type { StakingApi } from "./staking/api";
import type { GovernanceApi } from "./governance/api";
import type { UsersApi } from "./api/users";
import type { TracksApi } from "./api/tracks";
import type { PlaylistsApi } from "./api/playlists";

export type { UsersApi, TracksApi, PlaylistsApi };

/** Email and password wallets kept (encrypted) by the identity service. */
export interface AuthApi {
  /**
   * Create a wallet for an email and password and make it the acting wallet. The wallet is
   * encrypted here; the identity service stores only the ciphertext. Signing up again with the same
   * email and password opens the wallet already stored.
   *
   * @param params - `email` (an email address) and `password` (at least 8 characters, never sent); also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns The new wallet, its address and the email as stored.
   * @throws {AsixError} INVALID_INPUT when network.identityUrl is not set, the email is not an email address or the password is shorter than 8 characters.
   * @throws {AsixError} INVALID_CREDENTIALS when a half-finished sign-up under this email cannot be opened with this password.
   * @throws {AsixError} RATE_LIMITED when the identity service limits sign-ups from this client.
   * @throws {AsixError} NODE_UNAVAILABLE when the identity service cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * const asix = createAsix({ network });
   * const { walletAddress } = await asix.auth.signUp({ email: "ada@example.com", password: "correct horse battery" });
   * await asix.users.create({ handle: "ada" }); // acts as the new wallet, gas paid by the relay
   * ```
   */
  signUp(params: { email: string; password: string } & CallOptions): Promise<SignUpResult>;
  /**
   * Open the wallet kept for an email and password and make it the acting wallet.
   *
   * @param params - `email` and `password` as given at sign-up; also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns The opened wallet, its address and the normalized email.
   * @throws {AsixError} INVALID_INPUT when network.identityUrl is not set or the email or password is missing.
   * @throws {AsixError} INVALID_CREDENTIALS when the email is unknown or the password is wrong (the same answer for both).
   * @throws {AsixError} NODE_UNAVAILABLE when the identity service cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.auth.logIn({ email: "ada@example.com", password: "correct horse battery" });
   * await asix.tracks.save(trackId);
   * ```
   */
  logIn(params: { email: string; password: string } & CallOptions): Promise<LogInResult>;
  /**
   * Re-encrypt the same wallet under a new password; the old password stops working.
   *
   * @param params - `email`, `oldPassword` (the current one) and `newPassword` (at least 8 characters, different); also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns The wallet's address, unchanged.
   * @throws {AsixError} INVALID_INPUT when network.identityUrl is not set, or the new password is too short or equal to the old one.
   * @throws {AsixError} INVALID_CREDENTIALS when the email and old password open no wallet.
   * @throws {AsixError} NODE_UNAVAILABLE when the identity service cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it.
   * @example
   * ```ts
   * await asix.auth.changePassword({ email: "ada@example.com", oldPassword: "correct horse battery", newPassword: "staple battery horse" });
   * ```
   */
  changePassword(params: { email: string; oldPassword: string; newPassword: string } & CallOptions): Promise<ChangePasswordResult>;
  /**
   * The acting wallet: the one given to createAsix, or the one that signUp or logIn opened.
   *
   * @returns The wallet, or undefined for a read-only client.
   * @example
   * ```ts
   * const address = await asix.auth.getWallet()?.getAddress();
   * ```
   */
  getWallet(): Signer | undefined;
}

/** Files on content nodes, for callers that manage uploads themselves. */
export interface ContentApi {
  /**
   * Upload a file to a content node as the wallet's user and, by default, wait until the node has
   * transcoded or resized it.
   *
   * @param params - the `file` (path, bytes or stream), its `template` (`audio`, `img_square`,
   *   `img_backdrop`), and optional `filename`, `contentNode`, `onProgress`, `waitUntilDone`, `processTimeoutMs`.
   * @returns The upload: its id, status, renditions (`results`) and, for audio, its duration.
   * @throws {AsixError} INVALID_INPUT when the client has no wallet, or the file is missing, empty or not a file.
   * @throws {AsixError} UNSUPPORTED_MEDIA when the node cannot read the file as its template.
   * @throws {AsixError} PAYLOAD_TOO_LARGE when the file is over the node's limit.
   * @throws {AsixError} RATE_LIMITED when the node limits this wallet's uploads.
   * @throws {AsixError} UPLOAD_FAILED when the node could not process the file.
   * @throws {AsixError} TIMEOUT when processing takes longer than `processTimeoutMs`.
   * @throws {AsixError} NODE_UNAVAILABLE when no healthy content node can be reached.
   * @example
   * ```ts
   * const picture = await asix.content.upload({ file: "avatar.png", template: "img_square" });
   * await asix.users.update({ profilePictureUploadId: picture.id });
   * ```
   */
  upload(params: UploadFileParameters): Promise<Upload>;
}

/** The Asix+ client that `createAsix({ network, wallet })` returns. */
export interface Asix {
  /** The network, HTTP client and acting wallet every method uses; pass it to the plain functions. */
  client: AsixClient;
  /**
   * The acting user's integer id: known from users.create, or looked up from the wallet.
   *
   * @returns The user id.
   * @throws {AsixError} INVALID_INPUT when the client has no wallet or the wallet has no user yet.
   * @throws {AsixError} NODE_UNAVAILABLE when the discovery node cannot be reached.
   * @example
   * ```ts
   * const me = await asix.whoami();
   * const mine = await asix.users.tracks(me);
   * ```
   */
  whoami(): Promise<number>;
  /** Sign up and log in with an email and password. */
  auth: AuthApi;
  /** Users: create, read, follow, subscribe, profile and verification. */
  users: UsersApi;
  /** Tracks: upload, stream, edit, save, repost, search and trending. */
  tracks: TracksApi;
  /** Playlists and albums: create, edit, reorder, save and repost. */
  playlists: PlaylistsApi;
  /** Raw uploads to content nodes. */
  content: ContentApi;
  /** $AUDIO, service providers, delegation and rewards on the eth chain. */
  staking: StakingApi;
  /** Proposals and stake-weighted votes. */
  governance: GovernanceApi;
}
