import type { FtsDialect } from "./fts";
import { indexTables } from "./schema";

/**
 * The index's PostgreSQL schema: schema.ts's tables with BIGINT for ids, block numbers and
 * timestamps (some are ms, past 2^31) and an identity column for plays, and tsvector columns with
 * GIN indexes for search.
 */
export const POSTGRES_SCHEMA = `${indexTables({ int: "BIGINT", real: "DOUBLE PRECISION", withoutRowid: "", serialKey: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" })}
-- full-text search: the entity's text and a tsvector of it, folded (lower case, accents removed by
-- asix_fold) and weighted by column, searched with to_tsquery prefixes (postgres.ts creates asix_fold)
CREATE TABLE IF NOT EXISTS users_fts (
  rowid BIGINT PRIMARY KEY, handle TEXT NOT NULL, name TEXT NOT NULL,
  document tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', asix_fold(handle)), 'A') || setweight(to_tsvector('simple', asix_fold(name)), 'B')) STORED
);
CREATE INDEX IF NOT EXISTS users_fts_document ON users_fts USING GIN (document);
CREATE TABLE IF NOT EXISTS tracks_fts (
  rowid BIGINT PRIMARY KEY, title TEXT NOT NULL, tags TEXT NOT NULL, genre TEXT NOT NULL,
  document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', asix_fold(title)), 'A') || setweight(to_tsvector('simple', asix_fold(tags)), 'B') || setweight(to_tsvector('simple', asix_fold(genre)), 'C')
  ) STORED
);
CREATE INDEX IF NOT EXISTS tracks_fts_document ON tracks_fts USING GIN (document);
CREATE TABLE IF NOT EXISTS playlists_fts (
  rowid BIGINT PRIMARY KEY, playlist_name TEXT NOT NULL,
  document tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', asix_fold(playlist_name)), 'A')) STORED
);
CREATE INDEX IF NOT EXISTS playlists_fts_document ON playlists_fts USING GIN (document);

`;

/** The migrations sqliteDialect.ts's migrateSqlite makes, for a database made by an older schema. */
export const POSTGRES_MIGRATIONS = `
ALTER TABLE actions ADD COLUMN IF NOT EXISTS code TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS tracks_by_audio_upload ON tracks (audio_upload_id);
`;

/**
 * PostgreSQL's own full-text search: each query word folded as the documents are and matched as a
 * prefix (`word:*`), all words required, ranked by ts_rank with column weights near bm25's in
 * sqliteDialect.ts (A = 1, B and C lower). Words are letters and digits only, so they cannot form
 * tsquery syntax.
 */
export const POSTGRES_FTS: FtsDialect = {
  match: (words) => words.map((w) => `${fold(w)}:*`).join(" & "),
  from: (fts) => `${fts} CROSS JOIN to_tsquery('simple', ?) AS q`,
  where: (fts) => `${fts}.document @@ q`,
  rank: {
    users_fts: "ts_rank('{0.1, 0.2, 0.5, 1.0}', users_fts.document, q) DESC",
    tracks_fts: "ts_rank('{0.1, 0.25, 0.25, 1.0}', tracks_fts.document, q) DESC",
    playlists_fts: "ts_rank(playlists_fts.document, q) DESC",
  },
};

/** What asix_fold does in the database: lower case without accents. */
const fold = (w: string) => w.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
