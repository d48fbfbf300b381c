/**
 * Asix+ SDK. `createAsix({ network, wallet })` gives a typed client; every method is also exported
 * as a plain function `fn(client, params)` for tree-shaking and testing.
 */
import type { Asix } from "./asix";
import { createClient, requireIdentityUrl, type AsixClient, type CreateClientParameters } from "./client";
import { changePassword, logIn, signUp } from "./auth";
import { createStakingApi } from "./staking/lazy";
import { createGovernanceApi } from "./governance/lazy";
import { createUser, type CreateUserParameters } from "./users/createUser";
import { getUser, getUserByHandle } from "./users/getUser";
import { followUser, unfollowUser } from "./users/followUser";
import { getFollowers } from "./users/getFollowers";
import { resolveUserId } from "./users/currentUser";
import { uploadTrack, type UploadTrackParameters } from "./tracks/uploadTrack";
import { getTrack } from "./tracks/getTrack";
import { getStreamUrl, streamTrack, type StreamTrackParameters } from "./tracks/streamTrack";
import { uploadFile, type UploadFileParameters } from "./content/upload";
import type { ListParameters } from "./reads";
import type { CallOptions } from "./http";
import { updateProfile, updateUser, type UpdateProfileParameters, type UpdateUserParameters } from "./users/updateUser";
import { subscribeUser, unsubscribeUser } from "./users/followUser";
import { getVerificationUrl, verifyUser, type VerificationUrlParameters, type VerifyUserParameters } from "./users/verifyUser";
import { getFollowing, getUserFavorites, getUserPlaylists, getUserReposts, getUserTracks, searchUsers } from "./users/lists";
import { deleteTrack, updateTrack, type UpdateTrackParameters } from "./tracks/updateTrack";
import { getTrackFavorites, getTrackReposts, getTrendingTracks, searchTracks, type TrendingParameters } from "./tracks/lists";
import { socialAction } from "./social";
import {
  addPlaylistTrack,
  createPlaylist,
  deletePlaylist,
  getPlaylist,
  getPlaylistTracks,
  removePlaylistTrack,
  reorderPlaylist,
  searchPlaylists,
  updatePlaylist,
  type PlaylistFields,
} from "./playlists/playlists";

/**
 * Create an Asix+ client: every namespace (`users`, `tracks`, `playlists`, `content`, `auth`,
 * `staking`, `governance`) bound to one network and one acting wallet.
 *
 * @param params - `network` (explicit URLs and addresses, or the descriptor `startDevnet()` returns),
 *   and optional `wallet` (an ethers Signer or a private key; reads need none), `userId`,
 *   `indexTimeoutMs`, `pollIntervalMs`, `requestTimeoutMs`.
 * @returns The client.
 * @throws {AsixError} INVALID_INPUT when the network is incomplete or the wallet is not a valid private key.
 * @example
 * ```ts
 * import { createAsix } from "@asix/sdk";
 * import { findState } from "@asix/devnet";
 *
 * const devnet = findState(); // the devnet `npx asix devnet up` started
 * const asix = createAsix({ network: devnet, wallet: devnet.accounts[10].privateKey });
 * const { userId } = await asix.users.create({ handle: "ada" });
 * ```
 */
export function createAsix(params: CreateClientParameters): Asix {
  const client = createClient(params);
  return {
    client,
    /** The acting user's hashid-free integer id, once known. */
    whoami: () => resolveUserId(client, "whoami"),
    auth: {
      /** Create a wallet for an email and password (encrypted here, stored by the identity service); it becomes the acting wallet. */
      signUp: async (p: { email: string; password: string } & CallOptions) => {
        const result = await signUp({ identityUrl: requireIdentityUrl(client, "auth.signUp"), ...p });
        client.wallet = result.wallet as unknown as AsixClient["wallet"];
        client.userId = undefined;
        return result;
      },
      /** Open the wallet kept for an email and password; it becomes the acting wallet. INVALID_CREDENTIALS when wrong. */
      logIn: async (p: { email: string; password: string } & CallOptions) => {
        const result = await logIn({ identityUrl: requireIdentityUrl(client, "auth.logIn"), ...p });
        client.wallet = result.wallet as unknown as AsixClient["wallet"];
        client.userId = undefined;
        return result;
      },
      /** Re-encrypt the same wallet under a new password. */
      changePassword: (p: { email: string; oldPassword: string; newPassword: string } & CallOptions) =>
        changePassword({ identityUrl: requireIdentityUrl(client, "auth.changePassword"), ...p }),
      /** The acting wallet, if any. */
      getWallet: () => client.wallet,
    },
    users: {
      create: (p: CreateUserParameters) => createUser(client, p),
      get: (id: number | string, options?: CallOptions) => getUser(client, id, options),
      getByHandle: (handle: string, options?: CallOptions) => getUserByHandle(client, handle, options),
      follow: (userId: number | string, options?: CallOptions) => followUser(client, { ...options, userId }),
      unfollow: (userId: number | string, options?: CallOptions) => unfollowUser(client, { ...options, userId }),
      followers: (userId: number | string, paging?: ListParameters) => getFollowers(client, { userId, ...paging }),
      following: (userId: number | string, paging?: ListParameters) => getFollowing(client, userId, paging),
      tracks: (userId: number | string, paging?: ListParameters) => getUserTracks(client, userId, paging),
      playlists: (userId: number | string, paging?: ListParameters) => getUserPlaylists(client, userId, paging),
      reposts: (userId: number | string, paging?: ListParameters) => getUserReposts(client, userId, paging),
      favorites: (userId: number | string, paging?: ListParameters) => getUserFavorites(client, userId, paging),
      search: (query: string, paging?: ListParameters) => searchUsers(client, query, paging),
      update: (p: UpdateUserParameters) => updateUser(client, p),
      updateProfile: (p: UpdateProfileParameters) => updateProfile(client, p),
      subscribe: (userId: number | string, options?: CallOptions) => subscribeUser(client, { ...options, userId }),
      unsubscribe: (userId: number | string, options?: CallOptions) => unsubscribeUser(client, { ...options, userId }),
      /** Social verification: the URL to open in a browser. */
      getVerificationUrl: (p?: VerificationUrlParameters) => getVerificationUrl(client, p),
      /** Social verification without a browser (providers that take a login hint, like the devnet's). */
      verify: (p?: VerifyUserParameters) => verifyUser(client, p),
    },
    tracks: {
      upload: (file: UploadTrackParameters["file"], metadata: UploadTrackParameters["metadata"], options: Omit<UploadTrackParameters, "file" | "metadata"> = {}) =>
        uploadTrack(client, { file, metadata, ...options }),
      get: (id: number | string, options?: CallOptions) => getTrack(client, id, options),
      stream: (id: number | string, options?: StreamTrackParameters) => streamTrack(client, id, options),
      getStreamUrl: (id: number | string, options?: CallOptions) => getStreamUrl(client, id, options),
      update: (id: number | string, p: UpdateTrackParameters) => updateTrack(client, id, p),
      delete: (id: number | string, options?: CallOptions) => deleteTrack(client, id, options),
      save: (id: number | string, options?: CallOptions) => socialAction(client, "Track", "Save", id, options),
      unsave: (id: number | string, options?: CallOptions) => socialAction(client, "Track", "Unsave", id, options),
      repost: (id: number | string, options?: CallOptions) => socialAction(client, "Track", "Repost", id, options),
      unrepost: (id: number | string, options?: CallOptions) => socialAction(client, "Track", "Unrepost", id, options),
      search: (query: string, paging?: ListParameters) => searchTracks(client, query, paging),
      trending: (p?: TrendingParameters) => getTrendingTracks(client, p),
      favorites: (id: number | string, paging?: ListParameters) => getTrackFavorites(client, id, paging),
      reposts: (id: number | string, paging?: ListParameters) => getTrackReposts(client, id, paging),
    },
    playlists: {
      create: (p: PlaylistFields & CallOptions) => createPlaylist(client, p),
      get: (id: number | string, options?: CallOptions) => getPlaylist(client, id, options),
      tracks: (id: number | string, options?: CallOptions) => getPlaylistTracks(client, id, options),
      search: (query: string, paging?: ListParameters) => searchPlaylists(client, query, paging),
      update: (id: number | string, p: Partial<PlaylistFields> & CallOptions) => updatePlaylist(client, id, p),
      delete: (id: number | string, options?: CallOptions) => deletePlaylist(client, id, options),
      addTrack: (id: number | string, trackId: number | string, index?: number, options?: CallOptions) => addPlaylistTrack(client, id, trackId, index, options),
      removeTrack: (id: number | string, trackId: number | string, options?: CallOptions) => removePlaylistTrack(client, id, trackId, options),
      reorder: (id: number | string, trackIds: Array<number | string>, options?: CallOptions) => reorderPlaylist(client, id, trackIds, options),
      save: (id: number | string, options?: CallOptions) => socialAction(client, "Playlist", "Save", id, options),
      unsave: (id: number | string, options?: CallOptions) => socialAction(client, "Playlist", "Unsave", id, options),
      repost: (id: number | string, options?: CallOptions) => socialAction(client, "Playlist", "Repost", id, options),
      unrepost: (id: number | string, options?: CallOptions) => socialAction(client, "Playlist", "Unrepost", id, options),
    },
    content: {
      upload: (p: UploadFileParameters) => uploadFile(client, p),
    },
    /** $AUDIO, service providers, delegation and rewards on the eth chain. */
    staking: createStakingApi(client),
    /** Proposals and stake-weighted votes. */
    governance: createGovernanceApi(client),
  };
}

export type { Asix, AuthApi, ContentApi, UsersApi, TracksApi, PlaylistsApi } from "./asix";
export type { AsixClient, CreateClientParameters };

export * from "./errors";
export * from "./typedData";
export * from "./cid";
export * from "./hashids";
export * from "./signatures";
export * from "./rendezvous";
export * from "./network";
export type * from "./models";
export { PROTOCOL_VERSION, signHealth, healthSigner } from "./protocol/health";
export { rejectionErrorCode, type ActionRejectionCode, type ActionStatus } from "./protocol/actions";
export type { UploadRecord, UploadStatus } from "./protocol/upload";
export type { RegisteredNode } from "./protocol/nodes";
// ETH_CONTRACTS (the bindings) is at @asix/sdk/protocol/ethContracts: it carries the ABIs and ethers.
export type { EthContractName, EthContractAddresses, DataContractAddresses } from "./protocol/ethContractAbis";
export { createClient } from "./client";
export { isNodeFailure, type SelectionEvent, type SelectionEventHandler, type SelectionOptions, type RetryOptions } from "./selection";
export { manageEntity, waitForIndexed, type WriteReceipt, type ManageEntityParameters } from "./writes";
export { createUser, type CreateUserParameters, type CreateUserResult } from "./users/createUser";
export { getUser, getUserByHandle } from "./users/getUser";
export { followUser, unfollowUser, type FollowUserParameters } from "./users/followUser";
export { getFollowers, type GetFollowersParameters } from "./users/getFollowers";
export { uploadTrack, type UploadTrackParameters, type UploadTrackResult, type TrackMetadata } from "./tracks/uploadTrack";
export { getTrack } from "./tracks/getTrack";
export { streamTrack, getStreamUrl, type StreamTrackParameters, type StreamTrackResult, type ByteRange } from "./tracks/streamTrack";
export { uploadFile, type Upload, type UploadTemplate, type UploadFileParameters, type UploadProgress } from "./content/upload";
export type { FileInput } from "./content/multipart";
export { paginate } from "./paginate";
export { getVerificationUrl, verifyUser, type VerificationUrlParameters, type VerifyUserParameters, type VerifyUserResult } from "./users/verifyUser";
export * from "./auth";
// Staking and governance: the factories behind asix.staking / asix.governance, which load their
// code (ethers, the contract ABIs) on first call. Their plain functions, the revert decoder and the
// signed staking calls are under @asix/sdk/staking, /staking/revert and /staking/protocol, which
// load ethers: this entry must not (an app pays ethers' 0.4 s load on every start otherwise).
export { createStakingApi, type StakingApi } from "./staking/lazy";
export { createGovernanceApi, type GovernanceApi } from "./governance/lazy";
export { formatAudio, parseAudio, AUDIO_DECIMALS } from "./staking/units";
export type {
  ServiceTypeName,
  DelegateStakeMessage,
  IncreaseStakeMessage,
  SignedStakingCall,
} from "./staking/protocol";
export type { GaslessOptions } from "./staking/gasless";
export { updateUser, updateProfile, type UpdateUserParameters, type UpdateProfileParameters } from "./users/updateUser";
export { getFollowing, getUserTracks, getUserPlaylists, getUserReposts, getUserFavorites, searchUsers } from "./users/lists";
export { updateTrack, deleteTrack, type UpdateTrackParameters } from "./tracks/updateTrack";
export { searchTracks, getTrendingTracks, getTrackFavorites, getTrackReposts, type TrendingParameters } from "./tracks/lists";
export { socialAction, type SocialAction } from "./social";
export * from "./playlists/playlists";
export { type ListParameters } from "./reads";
export type { CallOptions } from "./http";
