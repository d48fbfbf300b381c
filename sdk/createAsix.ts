import type { Asix } from "./asix";
import { createClient, requireIdentityUrl, type AsixClient, type CreateClientParameters } from "./client";
import { createStakingApi } from "./staking/lazy";
import { createGovernanceApi } from "./governance/lazy";
import { loadFunctions as load } from "./lazyFunctions";
import type { CreateUserParameters } from "./users/createUser";
import type { UploadTrackParameters } from "./tracks/uploadTrack";
import type { StreamTrackParameters } from "./tracks/streamTrack";
import type { UploadFileParameters } from "./content/upload";
import type { ListParameters } from "./reads";
import type { CallOptions } from "./http";
import type { UpdateProfileParameters, UpdateUserParameters } from "./users/updateUser";
import type { VerificationUrlParameters, VerifyUserParameters } from "./users/verifyUser";
import type { UpdateTrackParameters } from "./tracks/updateTrack";
import type { SearchTracksParameters, TrendingParameters } from "./tracks/lists";
import type { PlaylistFields } from "./playlists/playlists";

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
    whoami: async () => (await load()).resolveUserId(client, "whoami"),
    auth: {
      /** Create a wallet for an email and password (encrypted here, stored by the identity service); it becomes the acting wallet. */
      signUp: async (p: { email: string; password: string } & CallOptions) => {
        const result = await (await load()).signUp({ identityUrl: requireIdentityUrl(client, "auth.signUp"), ...p });
        client.wallet = result.wallet as unknown as AsixClient["wallet"];
        client.userId = undefined;
        return result;
      },
      /** Open the wallet kept for an email and password; it becomes the acting wallet. INVALID_CREDENTIALS when wrong. */
      logIn: async (p: { email: string; password: string } & CallOptions) => {
        const result = await (await load()).logIn({ identityUrl: requireIdentityUrl(client, "auth.logIn"), ...p });
        client.wallet = result.wallet as unknown as AsixClient["wallet"];
        client.userId = undefined;
        return result;
      },
      /** Re-encrypt the same wallet under a new password. */
      changePassword: async (p: { email: string; oldPassword: string; newPassword: string } & CallOptions) =>
        (await load()).changePassword({ identityUrl: requireIdentityUrl(client, "auth.changePassword"), ...p }),
      /** The acting wallet, if any. */
      getWallet: () => client.wallet,
    },
    users: {
      create: async (p: CreateUserParameters) => (await load()).createUser(client, p),
      get: async (id: number | string, options?: CallOptions) => (await load()).getUser(client, id, options),
      getByHandle: async (handle: string, options?: CallOptions) => (await load()).getUserByHandle(client, handle, options),
      follow: async (userId: number | string, options?: CallOptions) => (await load()).followUser(client, { ...options, userId }),
      unfollow: async (userId: number | string, options?: CallOptions) => (await load()).unfollowUser(client, { ...options, userId }),
      followers: async (userId: number | string, paging?: ListParameters) => (await load()).getFollowers(client, { userId, ...paging }),
      following: async (userId: number | string, paging?: ListParameters) => (await load()).getFollowing(client, userId, paging),
      tracks: async (userId: number | string, paging?: ListParameters) => (await load()).getUserTracks(client, userId, paging),
      playlists: async (userId: number | string, paging?: ListParameters) => (await load()).getUserPlaylists(client, userId, paging),
      reposts: async (userId: number | string, paging?: ListParameters) => (await load()).getUserReposts(client, userId, paging),
      favorites: async (userId: number | string, paging?: ListParameters) => (await load()).getUserFavorites(client, userId, paging),
      search: async (query: string, paging?: ListParameters) => (await load()).searchUsers(client, query, paging),
      update: async (p: UpdateUserParameters) => (await load()).updateUser(client, p),
      updateProfile: async (p: UpdateProfileParameters) => (await load()).updateProfile(client, p),
      subscribe: async (userId: number | string, options?: CallOptions) => (await load()).subscribeUser(client, { ...options, userId }),
      unsubscribe: async (userId: number | string, options?: CallOptions) => (await load()).unsubscribeUser(client, { ...options, userId }),
      /** Social verification: the URL to open in a browser. */
      getVerificationUrl: async (p?: VerificationUrlParameters) => (await load()).getVerificationUrl(client, p),
      /** Social verification without a browser (providers that take a login hint, like the devnet's). */
      verify: async (p?: VerifyUserParameters) => (await load()).verifyUser(client, p),
    },
    tracks: {
      upload: async (file: UploadTrackParameters["file"], metadata: UploadTrackParameters["metadata"], options: Omit<UploadTrackParameters, "file" | "metadata"> = {}) =>
        (await load()).uploadTrack(client, { file, metadata, ...options }),
      get: async (id: number | string, options?: CallOptions) => (await load()).getTrack(client, id, options),
      getAnalysis: async (id: number | string, options?: CallOptions) => (await load()).getTrackAnalysis(client, { ...options, trackId: id }),
      getWaveform: async (id: number | string, options?: CallOptions) => (await load()).getTrackWaveform(client, { ...options, trackId: id }),
      stream: async (id: number | string, options?: StreamTrackParameters) => (await load()).streamTrack(client, id, options),
      getStreamUrl: async (id: number | string, options?: CallOptions) => (await load()).getStreamUrl(client, id, options),
      update: async (id: number | string, p: UpdateTrackParameters) => (await load()).updateTrack(client, id, p),
      delete: async (id: number | string, options?: CallOptions) => (await load()).deleteTrack(client, id, options),
      save: async (id: number | string, options?: CallOptions) => (await load()).socialAction(client, "Track", "Save", id, options),
      unsave: async (id: number | string, options?: CallOptions) => (await load()).socialAction(client, "Track", "Unsave", id, options),
      repost: async (id: number | string, options?: CallOptions) => (await load()).socialAction(client, "Track", "Repost", id, options),
      unrepost: async (id: number | string, options?: CallOptions) => (await load()).socialAction(client, "Track", "Unrepost", id, options),
      search: async (query: string, params?: SearchTracksParameters) => (await load()).searchTracks(client, query, params),
      trending: async (p?: TrendingParameters) => (await load()).getTrendingTracks(client, p),
      favorites: async (id: number | string, paging?: ListParameters) => (await load()).getTrackFavorites(client, id, paging),
      reposts: async (id: number | string, paging?: ListParameters) => (await load()).getTrackReposts(client, id, paging),
    },
    playlists: {
      create: async (p: PlaylistFields & CallOptions) => (await load()).createPlaylist(client, p),
      get: async (id: number | string, options?: CallOptions) => (await load()).getPlaylist(client, id, options),
      tracks: async (id: number | string, options?: CallOptions) => (await load()).getPlaylistTracks(client, id, options),
      search: async (query: string, paging?: ListParameters) => (await load()).searchPlaylists(client, query, paging),
      update: async (id: number | string, p: Partial<PlaylistFields> & CallOptions) => (await load()).updatePlaylist(client, id, p),
      delete: async (id: number | string, options?: CallOptions) => (await load()).deletePlaylist(client, id, options),
      addTrack: async (id: number | string, trackId: number | string, index?: number, options?: CallOptions) => (await load()).addPlaylistTrack(client, id, trackId, index, options),
      removeTrack: async (id: number | string, trackId: number | string, options?: CallOptions) => (await load()).removePlaylistTrack(client, id, trackId, options),
      reorder: async (id: number | string, trackIds: Array<number | string>, options?: CallOptions) => (await load()).reorderPlaylist(client, id, trackIds, options),
      save: async (id: number | string, options?: CallOptions) => (await load()).socialAction(client, "Playlist", "Save", id, options),
      unsave: async (id: number | string, options?: CallOptions) => (await load()).socialAction(client, "Playlist", "Unsave", id, options),
      repost: async (id: number | string, options?: CallOptions) => (await load()).socialAction(client, "Playlist", "Repost", id, options),
      unrepost: async (id: number | string, options?: CallOptions) => (await load()).socialAction(client, "Playlist", "Unrepost", id, options),
    },
    content: {
      upload: async (p: UploadFileParameters) => (await load()).uploadFile(client, p),
    },
    /** $AUDIO, service providers, delegation and rewards on the eth chain. */
    staking: createStakingApi(client),
    /** Proposals and stake-weighted votes. */
    governance: createGovernanceApi(client),
  };
}
