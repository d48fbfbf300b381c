/**
 * Asix+ SDK. `createAsix({ network, wallet })` gives a typed client; every method is also exported
 * as a plain function `fn(client, params)` for tree-shaking and testing.
 *
 * This module is the entry's types, reference and browser build; Node loads ./lazyIndex, the same
 * names loading their code on first call. A value exported here must be exported there too (its
 * compile-time check fails otherwise), without loading more at start than it must.
 */
import type { AsixClient, CreateClientParameters } from "./client";

export { createAsix } from "./createAsix";
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
export { getTrackAnalysis, type GetTrackAnalysisParameters, type TrackAnalysis } from "./tracks/getTrackAnalysis";
export { getTrackWaveform, type GetTrackWaveformParameters, type TrackWaveform } from "./tracks/getTrackWaveform";
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
export { searchTracks, getTrendingTracks, getTrackFavorites, getTrackReposts, type TrendingParameters, type SearchTracksParameters } from "./tracks/lists";
export { socialAction, type SocialAction } from "./social";
export * from "./playlists/playlists";
export { type ListParameters } from "./reads";
export type { CallOptions } from "./http";
