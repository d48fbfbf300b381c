import type { AsixClient } from "../client";
import type { Playlist, Track, User } from "../models";
import { AsixError } from "../errors";
import { getData, hashIdOf, pagingOf, type ListParameters } from "../reads";

const userList =
  <T>(suffix: string) =>
  async (client: AsixClient, userId: number | string, paging: ListParameters = {}): Promise<T[]> =>
    getData<T[]>(client, `/v1/users/${hashIdOf(userId, "user id")}/${suffix}`, pagingOf(paging), `get user ${suffix}`);

/** Users that a user follows. */
export const getFollowing = userList<User>("following");
/** A user's tracks. */
export const getUserTracks = userList<Track>("tracks");
/** A user's playlists and albums. */
export const getUserPlaylists = userList<Playlist>("playlists");
/** What a user reposted (tracks and playlists; each item says which). */
export const getUserReposts = userList<Record<string, unknown>>("reposts");
/** What a user saved. */
export const getUserFavorites = userList<Record<string, unknown>>("favorites");

/** Users whose handle or name matches (prefix matching, ranked). */
export async function searchUsers(client: AsixClient, query: string, paging: ListParameters = {}): Promise<User[]> {
  if (typeof query !== "string" || query.trim() === "") throw new AsixError("INVALID_INPUT", "search query must not be empty");
  return getData<User[]>(client, "/v1/users/search", { query, ...pagingOf(paging) }, "search users");
}
