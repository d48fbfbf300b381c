/**
 * The JavaScript that Node loads for `@asix/sdk` (package.json "exports": `import` and `require`);
 * its types and documentation are ./index's, and browsers (bundlers) get ./index itself, whose
 * static re-exports they tree-shake. The same names with the same types as ./index (checked
 * below), but only a small core is loaded with it: errors, the client and node selection, and the
 * synchronous helpers (ids, CIDs, typed data, signatures). Every asynchronous function loads its
 * code on first call (./lazyFunctions), and noble's curve and hashes load on the first hash or
 * signature (./platform/noble). Loading everything eagerly cost an app twice an empty Node's start.
 */
import type * as Index from "./index";
import type * as Self from "./lazyIndex";
import { lazyFunction } from "./lazyFunctions";

export { createAsix } from "./createAsix";
export * from "./errors";
export * from "./typedData";
export * from "./cid";
export * from "./hashids";
export * from "./signatures";
export * from "./rendezvous";
export * from "./network";
export { PROTOCOL_VERSION, signHealth, healthSigner } from "./protocol/health";
export { rejectionErrorCode } from "./protocol/actions";
export { createClient } from "./client";
export { isNodeFailure } from "./selection";
export { paginate } from "./paginate";
export { createStakingApi } from "./staking/lazy";
export { createGovernanceApi } from "./governance/lazy";
export { formatAudio, parseAudio, AUDIO_DECIMALS } from "./staking/units";
export { MIN_PASSWORD_LENGTH, MAX_PLAYLIST_TRACKS } from "./limits";
export { WALLET_SCRYPT, deriveCredentialKeys, encryptWalletEntropy, decryptWalletEntropy } from "./auth/walletCrypto";
export { emailLinkData, signEmailLink } from "./auth/emailLink";

export const manageEntity = lazyFunction("manageEntity");
export const waitForIndexed = lazyFunction("waitForIndexed");
export const signUp = lazyFunction("signUp");
export const logIn = lazyFunction("logIn");
export const changePassword = lazyFunction("changePassword");
export const getWallet = lazyFunction("getWallet");
export const createUser = lazyFunction("createUser");
export const getUser = lazyFunction("getUser");
export const getUserByHandle = lazyFunction("getUserByHandle");
export const followUser = lazyFunction("followUser");
export const unfollowUser = lazyFunction("unfollowUser");
export const getFollowers = lazyFunction("getFollowers");
export const getFollowing = lazyFunction("getFollowing");
export const getUserTracks = lazyFunction("getUserTracks");
export const getUserPlaylists = lazyFunction("getUserPlaylists");
export const getUserReposts = lazyFunction("getUserReposts");
export const getUserFavorites = lazyFunction("getUserFavorites");
export const searchUsers = lazyFunction("searchUsers");
export const updateUser = lazyFunction("updateUser");
export const updateProfile = lazyFunction("updateProfile");
export const getVerificationUrl = lazyFunction("getVerificationUrl");
export const verifyUser = lazyFunction("verifyUser");
export const uploadTrack = lazyFunction("uploadTrack");
export const getTrack = lazyFunction("getTrack");
export const getTrackAnalysis = lazyFunction("getTrackAnalysis");
export const getTrackWaveform = lazyFunction("getTrackWaveform");
export const streamTrack = lazyFunction("streamTrack");
export const getStreamUrl = lazyFunction("getStreamUrl");
export const updateTrack = lazyFunction("updateTrack");
export const deleteTrack = lazyFunction("deleteTrack");
export const searchTracks = lazyFunction("searchTracks");
export const getTrendingTracks = lazyFunction("getTrendingTracks");
export const getTrackFavorites = lazyFunction("getTrackFavorites");
export const getTrackReposts = lazyFunction("getTrackReposts");
export const socialAction = lazyFunction("socialAction");
export const uploadFile = lazyFunction("uploadFile");
export const createPlaylist = lazyFunction("createPlaylist");
export const getPlaylist = lazyFunction("getPlaylist");
export const getPlaylistTracks = lazyFunction("getPlaylistTracks");
export const searchPlaylists = lazyFunction("searchPlaylists");
export const updatePlaylist = lazyFunction("updatePlaylist");
export const deletePlaylist = lazyFunction("deletePlaylist");
export const addPlaylistTrack = lazyFunction("addPlaylistTrack");
export const removePlaylistTrack = lazyFunction("removePlaylistTrack");
export const reorderPlaylist = lazyFunction("reorderPlaylist");

// Fails to compile when ./index exports a value this entry lacks or does not (its types live there).
type Missing = Exclude<keyof typeof Index, keyof typeof Self>;
type Extra = Exclude<keyof typeof Self, keyof typeof Index>;
const sameNames: [Missing | Extra] extends [never] ? true : Missing | Extra = true;
// ... or one of another type.
const sameTypes = (self: typeof Self): typeof Index => self;
void sameNames;
void sameTypes;
