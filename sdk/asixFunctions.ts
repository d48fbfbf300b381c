/**
 * The SDK's asynchronous functions: those behind createAsix's namespaces and the entry's plain
 * async exports, in one module that ./lazyFunctions loads on the first call of any of them, so an
 * app pays for this code when it first reads or writes, not on every start.
 */
export { changePassword, getWallet, logIn, signUp } from "./auth";
export { manageEntity, waitForIndexed } from "./writes";
export { createUser } from "./users/createUser";
export { getUser, getUserByHandle } from "./users/getUser";
export { followUser, unfollowUser, subscribeUser, unsubscribeUser } from "./users/followUser";
export { getFollowers } from "./users/getFollowers";
export { resolveUserId } from "./users/currentUser";
export { uploadTrack } from "./tracks/uploadTrack";
export { getTrack } from "./tracks/getTrack";
export { getTrackAnalysis } from "./tracks/getTrackAnalysis";
export { getTrackWaveform } from "./tracks/getTrackWaveform";
export { getStreamUrl, streamTrack } from "./tracks/streamTrack";
export { uploadFile } from "./content/upload";
export { updateProfile, updateUser } from "./users/updateUser";
export { getVerificationUrl, verifyUser } from "./users/verifyUser";
export { getFollowing, getUserFavorites, getUserPlaylists, getUserReposts, getUserTracks, searchUsers } from "./users/lists";
export { deleteTrack, updateTrack } from "./tracks/updateTrack";
export { getTrackFavorites, getTrackReposts, getTrendingTracks, searchTracks } from "./tracks/lists";
export { socialAction } from "./social";
export {
  addPlaylistTrack,
  createPlaylist,
  deletePlaylist,
  getPlaylist,
  getPlaylistTracks,
  removePlaylistTrack,
  reorderPlaylist,
  searchPlaylists,
  updatePlaylist,
} from "./playlists/playlists";
