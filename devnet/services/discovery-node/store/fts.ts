/** The three search indexes; each has a `rowid` (the entity id) and the entity's searchable text columns. */
export type FtsTable = "users_fts" | "tracks_fts" | "playlists_fts";

export const FTS_COLUMNS: Record<FtsTable, string[]> = {
  users_fts: ["handle", "name"],
  tracks_fts: ["title", "tags", "genre"],
  playlists_fts: ["playlist_name"],
};

/**
 * How a backend searches its full-text index, as fragments of one query shape:
 * `SELECT … FROM ${from(fts)} JOIN … WHERE ${where(fts)} … ORDER BY ${rank[fts]}, …` where the one
 * `?` among `from` and `where` takes `match(words)`.
 */
export interface FtsDialect {
  /** the query's words (letters and digits, at most 10) as the backend's match expression */
  match(words: string[]): string;
  from(fts: FtsTable): string;
  where(fts: FtsTable): string;
  /** best match first (ascending) */
  rank: Record<FtsTable, string>;
}

/** The words of a search query: runs of letters and digits, NFKC-normalized, at most 10 of 64 characters. */
export function queryWords(query: string): string[] {
  return (query.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10).map((w) => w.slice(0, 64));
}
