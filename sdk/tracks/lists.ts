import type { AsixClient } from "../client";
import type { Track, User } from "../models";
import type * as wire from "../protocol/models";
import { AsixError } from "../errors";
import { getData, hashIdOf, pagingOf, type ListParameters } from "../reads";

/** Paging, and filters on the tracks' music analysis (only analysed tracks match a filter). */
export interface SearchTracksParameters extends ListParameters {
  /** lowest tempo in BPM, inclusive */
  bpmMin?: number;
  /** highest tempo in BPM, inclusive */
  bpmMax?: number;
  /** a musical key such as "A minor", or any of several (case-insensitive) */
  key?: string | string[];
}

/**
 * Tracks whose title, tags or genre match (prefix matching, ranked), within the BPM range and keys
 * when given. With a filter the query may be empty: then every matching track, most popular first.
 */
export async function searchTracks(client: AsixClient, query: string, params: SearchTracksParameters = {}): Promise<Track[]> {
  const filters: Record<string, string | number | string[]> = {};
  for (const [name, wireName] of [["bpmMin", "bpm_min"], ["bpmMax", "bpm_max"]] as const) {
    const bpm = params[name];
    if (bpm === undefined) continue;
    if (typeof bpm !== "number" || !Number.isFinite(bpm) || bpm < 0) throw new AsixError("INVALID_INPUT", `${name} must be a number of beats per minute`);
    filters[wireName] = bpm;
  }
  if (params.key !== undefined) {
    const keys = Array.isArray(params.key) ? params.key : [params.key];
    if (keys.length === 0 || keys.some((k) => typeof k !== "string" || k.trim() === "")) throw new AsixError("INVALID_INPUT", "key must be a musical key such as \"A minor\"");
    filters.key = keys;
  }
  const filtered = Object.keys(filters).length > 0;
  if (typeof query !== "string" || (query.trim() === "" && !filtered)) throw new AsixError("INVALID_INPUT", "search query must not be empty");
  return getData<wire.Track[]>(client, "/v1/tracks/search", { ...(query.trim() ? { query } : {}), ...filters, ...pagingOf(params) }, "search tracks", params);
}

export interface TrendingParameters extends ListParameters {
  /** default week */
  time?: "week" | "month" | "allTime";
  /** only this genre (exact, case-insensitive) */
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
