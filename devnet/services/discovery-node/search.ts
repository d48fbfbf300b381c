import { stmt } from "./actions/context";
import type { Db } from "./db";
import type { PlaylistRow, TrackRow, UserRow } from "./views";

/**
 * Full-text search over users (handle, name), tracks (title, tags, genre) and playlists (name)
 * with SQLite FTS5: every word of the query is a prefix, all must match, ranked by bm25 and then
 * by popularity. Query text never reaches FTS syntax: it is cut into words and each is quoted.
 */
export function ftsQuery(query: string): string | undefined {
  const words = (query.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10).map((w) => w.slice(0, 64));
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w}"*`).join(" ");
}

export interface Page {
  offset: number;
  limit: number;
}

export function searchUsers(db: Db, query: string, page: Page): UserRow[] {
  const match = ftsQuery(query);
  if (!match) return [];
  return stmt(
    db,
    `SELECT u.* FROM users_fts JOIN users u ON u.user_id = users_fts.rowid
     WHERE users_fts MATCH ? AND u.is_deactivated = 0
     ORDER BY bm25(users_fts, 2.0, 1.0), u.follower_count DESC, u.user_id LIMIT ? OFFSET ?`,
  ).all(match, page.limit, page.offset) as UserRow[];
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
export function searchTracks(db: Db, query: string, page: Page, filters: TrackFilters = {}): TrackRow[] {
  const match = ftsQuery(query);
  const where: string[] = ["t.is_delete = 0"];
  const args: unknown[] = [];
  if (filters.bpmMin !== undefined) (where.push("a.bpm >= ?"), args.push(filters.bpmMin));
  if (filters.bpmMax !== undefined) (where.push("a.bpm <= ?"), args.push(filters.bpmMax));
  if (filters.keys?.length) {
    where.push(`lower(a.musical_key) IN (${filters.keys.map(() => "?").join(", ")})`);
    args.push(...filters.keys.map((k) => k.toLowerCase()));
  }
  const filtered = args.length > 0;
  if (!match && !filtered) return [];
  const analysis = filtered ? "JOIN upload_analyses a ON a.upload_id = t.audio_upload_id AND t.audio_upload_id != ''" : "";
  if (!match) {
    return stmt(
      db,
      `SELECT t.* FROM tracks t ${analysis} WHERE ${where.join(" AND ")}
       ORDER BY t.repost_count + t.save_count DESC, t.track_id LIMIT ? OFFSET ?`,
    ).all(...args, page.limit, page.offset) as TrackRow[];
  }
  return stmt(
    db,
    `SELECT t.* FROM tracks_fts JOIN tracks t ON t.track_id = tracks_fts.rowid ${analysis}
     WHERE tracks_fts MATCH ? AND ${where.join(" AND ")}
     ORDER BY bm25(tracks_fts, 4.0, 1.0, 1.0), t.repost_count + t.save_count DESC, t.track_id LIMIT ? OFFSET ?`,
  ).all(match, ...args, page.limit, page.offset) as TrackRow[];
}

export function searchPlaylists(db: Db, query: string, page: Page): PlaylistRow[] {
  const match = ftsQuery(query);
  if (!match) return [];
  return stmt(
    db,
    `SELECT p.* FROM playlists_fts JOIN playlists p ON p.playlist_id = playlists_fts.rowid
     WHERE playlists_fts MATCH ? AND p.is_delete = 0 AND p.is_private = 0
     ORDER BY bm25(playlists_fts), p.repost_count + p.save_count DESC, p.playlist_id LIMIT ? OFFSET ?`,
  ).all(match, page.limit, page.offset) as PlaylistRow[];
}
