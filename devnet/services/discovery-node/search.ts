import type { Db } from "./db";
import { queryWords, type FtsDialect, type FtsTable } from "./store/fts";
import { POSTGRES_FTS } from "./store/postgresDialect";
import { SQLITE_FTS } from "./store/sqliteDialect";
import type { PlaylistRow, TrackRow, UserRow } from "./views";

/**
 * Full-text search over users (handle, name), tracks (title, tags, genre) and playlists (name),
 * with the backend's own full-text index (SQLite FTS5, PostgreSQL tsvector): every word of the
 * query is a prefix, all must match, ranked by text relevance and then by popularity. Query text
 * never reaches the index's syntax: it is cut into words of letters and digits.
 */
const fts = (db: Db): FtsDialect => (db.dialect === "postgres" ? POSTGRES_FTS : SQLITE_FTS);

export interface Page {
  offset: number;
  limit: number;
}

/** `SELECT <alias>.* FROM <fts> JOIN <table> <alias> … WHERE <match> [AND more]`; the match text is the first `?`. */
function matching(db: Db, table: FtsTable, join: string, more: string): string {
  const d = fts(db);
  return `FROM ${d.from(table)} JOIN ${join} WHERE ${d.where(table)}${more ? ` AND ${more}` : ""}`;
}

export async function searchUsers(db: Db, query: string, page: Page): Promise<UserRow[]> {
  const words = queryWords(query);
  if (words.length === 0) return [];
  return db.all<UserRow>(
    `SELECT u.* ${matching(db, "users_fts", "users u ON u.user_id = users_fts.rowid", "u.is_deactivated = 0")}
     ORDER BY ${fts(db).rank.users_fts}, u.follower_count DESC, u.user_id LIMIT ? OFFSET ?`,
    [fts(db).match(words), page.limit, page.offset],
  );
}

/** Track search filters on the content node's analysis (the reference's `bpm_min`, `bpm_max`, `key`). */
export interface TrackFilters {
  /** lowest BPM, inclusive */
  bpmMin?: number;
  /** highest BPM, inclusive */
  bpmMax?: number;
  /** any of these keys (case-insensitive) */
  keys?: string[];
}

/**
 * Tracks matching the query text and the filters; with filters, the query may be empty (then
 * ranked by popularity alone). A filter only matches analysed tracks.
 */
export async function searchTracks(db: Db, query: string, page: Page, filters: TrackFilters = {}): Promise<TrackRow[]> {
  const words = queryWords(query);
  const where: string[] = ["t.is_delete = 0"];
  const args: Array<string | number> = [];
  if (filters.bpmMin !== undefined) (where.push("a.bpm >= ?"), args.push(filters.bpmMin));
  if (filters.bpmMax !== undefined) (where.push("a.bpm <= ?"), args.push(filters.bpmMax));
  if (filters.keys?.length) {
    where.push(`lower(a.musical_key) IN (${filters.keys.map(() => "?").join(", ")})`);
    args.push(...filters.keys.map((k) => k.toLowerCase()));
  }
  const filtered = args.length > 0;
  if (words.length === 0 && !filtered) return [];
  const analysis = filtered ? "JOIN upload_analyses a ON a.upload_id = t.audio_upload_id AND t.audio_upload_id != ''" : "";
  if (words.length === 0) {
    return db.all<TrackRow>(
      `SELECT t.* FROM tracks t ${analysis} WHERE ${where.join(" AND ")}
       ORDER BY t.repost_count + t.save_count DESC, t.track_id LIMIT ? OFFSET ?`,
      [...args, page.limit, page.offset],
    );
  }
  return db.all<TrackRow>(
    `SELECT t.* ${matching(db, "tracks_fts", `tracks t ON t.track_id = tracks_fts.rowid ${analysis}`, where.join(" AND "))}
     ORDER BY ${fts(db).rank.tracks_fts}, t.repost_count + t.save_count DESC, t.track_id LIMIT ? OFFSET ?`,
    [fts(db).match(words), ...args, page.limit, page.offset],
  );
}

export async function searchPlaylists(db: Db, query: string, page: Page): Promise<PlaylistRow[]> {
  const words = queryWords(query);
  if (words.length === 0) return [];
  return db.all<PlaylistRow>(
    `SELECT p.* ${matching(db, "playlists_fts", "playlists p ON p.playlist_id = playlists_fts.rowid", "p.is_delete = 0 AND p.is_private = 0")}
     ORDER BY ${fts(db).rank.playlists_fts}, p.repost_count + p.save_count DESC, p.playlist_id LIMIT ? OFFSET ?`,
    [fts(db).match(words), page.limit, page.offset],
  );
}
