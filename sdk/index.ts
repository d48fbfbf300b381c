/**
 * Asix+ SDK. `createAsix({ network, wallet })` gives a typed client; every method is also exported
 * as a plain function `fn(client, params)` for tree-shaking and testing.
 */
import { createClient, type AsixClient, type CreateClientParameters } from "./client";
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

export function createAsix(params: CreateClientParameters) {
  const client = createClient(params);
  return {
    client,
    /** The acting user's hashid-free integer id, once known. */
    whoami: () => resolveUserId(client, "whoami"),
    users: {
      create: (p: CreateUserParameters) => createUser(client, p),
      get: (id: number | string) => getUser(client, id),
      getByHandle: (handle: string) => getUserByHandle(client, handle),
      follow: (userId: number | string) => followUser(client, { userId }),
      unfollow: (userId: number | string) => unfollowUser(client, { userId }),
      followers: (userId: number | string, paging?: ListParameters) => getFollowers(client, { userId, ...paging }),
    },
    tracks: {
      upload: (file: UploadTrackParameters["file"], metadata: UploadTrackParameters["metadata"], options: Omit<UploadTrackParameters, "file" | "metadata"> = {}) =>
        uploadTrack(client, { file, metadata, ...options }),
      get: (id: number | string) => getTrack(client, id),
      stream: (id: number | string, options?: StreamTrackParameters) => streamTrack(client, id, options),
      getStreamUrl: (id: number | string) => getStreamUrl(client, id),
    },
    content: {
      upload: (p: UploadFileParameters) => uploadFile(client, p),
    },
  };
}

export type Asix = ReturnType<typeof createAsix>;
export type { AsixClient, CreateClientParameters };

export * from "./errors";
export * from "./eip712";
export * from "./cid";
export * from "./hashids";
export * from "./signatures";
export * from "./rendezvous";
export * from "./network";
export type * from "./models";
export { createClient } from "./client";
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
