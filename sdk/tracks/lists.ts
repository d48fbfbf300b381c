import type { AsixClient } from "../client";
import type { Track, User } from "../models";
import type * as wire from "../protocol/models";
import { AsixError } from "../errors";
import { getData, hashIdOf, pagingOf, type ListParameters } from "../reads";

/** Tracks whose title, tags or genre match (prefix matching, ranked). */
export async function searchTracks(client: AsixClient, query: string, paging: ListParameters = {}): Promise<Track[]> {
  if (typeof query !== "string" || query.trim() === "") throw new AsixError("INVALID_INPUT", "search query must not be empty");
  return getData<wire.Track[]>(client, "/v1/tracks/search", { query, ...pagingOf(paging) }, "search tracks", paging);
}

export interface TrendingParameters extends ListParameters {
  /** default week */
  time?: "week" | "month" | "allTime";
  genre?: string;
}

/** Trending tracks: reposts, saves and plays with time decay. */
export async function getTrendingTracks(client: AsixClient, params: TrendingParameters = {}): Promise<Track[]> {
  const query: Record<string, string | number> = { ...pagingOf(params) };
  if (params.time) query.time = params.time;
  if (params.genre) query.genre = params.genre;
  return getData<wire.Track[]>(client, "/v1/tracks/trending", query, "trending tracks", params);
}

/** Users who saved a track. */
export async function getTrackFavorites(client: AsixClient, trackId: number | string, paging: ListParameters = {}): Promise<User[]> {
  return getData<wire.User[]>(client, `/v1/tracks/${hashIdOf(trackId, "track id")}/favorites`, pagingOf(paging), "track favorites", paging);
}

/** Users who reposted a track. */
export async function getTrackReposts(client: AsixClient, trackId: number | string, paging: ListParameters = {}): Promise<User[]> {
  return getData<wire.User[]>(client, `/v1/tracks/${hashIdOf(trackId, "track id")}/reposts`, pagingOf(paging), "track reposts", paging);
}
