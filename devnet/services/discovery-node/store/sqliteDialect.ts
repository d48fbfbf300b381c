import type Database from "better-sqlite3";
import type { FtsDialect } from "./fts";
import { indexTables } from "./schema";

/** The index's SQLite schema: schema.ts's tables, and FTS5 tables for search. */
export const SQLITE_SCHEMA = `${indexTables({ int: "INTEGER", real: "REAL", withoutRowid: " WITHOUT ROWID", serialKey: "INTEGER PRIMARY KEY AUTOINCREMENT" })}
CREATE VIRTUAL TABLE IF NOT EXISTS users_fts USING fts5(handle, name, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS tracks_fts USING fts5(title, tags, genre, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS playlists_fts USING fts5(playlist_name, tokenize = 'unicode61 remove_diacritics 2');
`;

/**
 * Columns added since a table was first created: CREATE TABLE IF NOT EXISTS leaves an older file's
 * table as it was. Each step adds the column at the end, where the current schema has it too.
 */
export function migrateSqlite(db: Database.Database): void {
  const columns = (table: string) => new Set((db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name));
  if (!columns("actions").has("code")) db.exec("ALTER TABLE actions ADD COLUMN code TEXT NOT NULL DEFAULT ''");
  // tracks are joined to their upload's analysis (upload_analyses, created above for older files too)
  db.exec("CREATE INDEX IF NOT EXISTS tracks_by_audio_upload ON tracks (audio_upload_id)");
}

/**
 * FTS5: every word of the query is a quoted prefix (query text never reaches FTS syntax), all must
 * match, ranked by bm25 with the first column weighted up.
 */
export const SQLITE_FTS: FtsDialect = {
  match: (words) => words.map((w) => `"${w}"*`).join(" "),
  from: (fts) => fts,
  where: (fts) => `${fts} MATCH ?`,
  rank: {
    users_fts: "bm25(users_fts, 2.0, 1.0)",
    tracks_fts: "bm25(tracks_fts, 4.0, 1.0, 1.0)",
    playlists_fts: "bm25(playlists_fts)",
  },
};
