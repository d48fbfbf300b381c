import type { AsixClient } from "../client";
import type { User } from "../models";
import type * as wire from "../protocol/models";
import type { Camelized } from "../casing";
import { AsixError } from "../errors";
import { getData, hashIdOf, pagingOf, type ListParameters } from "../reads";

const userList =
  <W>(suffix: string) =>
  async (client: AsixClient, userId: number | string, paging: ListParameters = {}): Promise<Camelized<W>[]> =>
    getData<W[]>(client, `/v1/users/${hashIdOf(userId, "user id")}/${suffix}`, pagingOf(paging), `get user ${suffix}`, paging);

/** Users that a user follows. */
export const getFollowing = userList<wire.User>("following");
/** A user's tracks. */
export const getUserTracks = userList<wire.Track>("tracks");
/** A user's playlists and albums. */
export const getUserPlaylists = userList<wire.Playlist>("playlists");
/** What a user reposted (tracks and playlists; each item says which). */
export const getUserReposts = userList<wire.Repost>("reposts");
/** What a user saved. */
export const getUserFavorites = userList<wire.Favorite>("favorites");

/** Users whose handle or name matches (prefix matching, ranked). */
export async function searchUsers(client: AsixClient, query: string, paging: ListParameters = {}): Promise<User[]> {
  if (typeof query !== "string" || query.trim() === "") throw new AsixError("INVALID_INPUT", "search query must not be empty");
  return getData<wire.User[]>(client, "/v1/users/search", { query, ...pagingOf(paging) }, "search users", paging);
}
