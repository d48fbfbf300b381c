import type Database from "better-sqlite3";
import type { FtsDialect } from "./fts";

/**
 * The index's SQLite schema. Everything except `plays` is derived from the data chain, and the
 * checkpoint (last indexed block and its hash) moves in the same transaction as the entity changes
 * of its batch, so a crash never loses or double-applies an action.
 * Timestamps are unix seconds (block time for chain rows, wall time for plays).
 * postgresDialect.ts has the same tables for PostgreSQL.
 */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS indexing_checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_block INTEGER NOT NULL,
  last_block_hash TEXT NOT NULL
);
-- hashes of indexed blocks that carried events (for /block_confirmation without a chain call)
CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, timestamp INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS users (
  user_id INTEGER PRIMARY KEY,
  handle TEXT NOT NULL,
  handle_lc TEXT NOT NULL UNIQUE,
  wallet TEXT NOT NULL UNIQUE,            -- lower-case address; one wallet owns one user
  name TEXT NOT NULL DEFAULT '',
  bio TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  profile_picture_sizes TEXT NOT NULL DEFAULT '',
  cover_photo_sizes TEXT NOT NULL DEFAULT '',
  is_verified INTEGER NOT NULL DEFAULT 0,
  is_deactivated INTEGER NOT NULL DEFAULT 0,
  track_count INTEGER NOT NULL DEFAULT 0,
  playlist_count INTEGER NOT NULL DEFAULT 0,
  album_count INTEGER NOT NULL DEFAULT 0,
  follower_count INTEGER NOT NULL DEFAULT 0,
  followee_count INTEGER NOT NULL DEFAULT 0,
  repost_count INTEGER NOT NULL DEFAULT 0,
  subscriber_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  blocknumber INTEGER NOT NULL,
  txhash TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS tracks (
  track_id INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL,
  title TEXT NOT NULL,
  genre TEXT NOT NULL DEFAULT '',
  mood TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  track_cid TEXT NOT NULL DEFAULT '',
  preview_cid TEXT NOT NULL DEFAULT '',
  orig_file_cid TEXT NOT NULL DEFAULT '',
  orig_filename TEXT NOT NULL DEFAULT '',
  audio_upload_id TEXT NOT NULL DEFAULT '',
  cover_art_sizes TEXT NOT NULL DEFAULT '',
  duration INTEGER NOT NULL DEFAULT 0,
  release_date TEXT NOT NULL DEFAULT '',
  is_downloadable INTEGER NOT NULL DEFAULT 0,
  is_delete INTEGER NOT NULL DEFAULT 0,
  play_count INTEGER NOT NULL DEFAULT 0,
  repost_count INTEGER NOT NULL DEFAULT 0,
  save_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  blocknumber INTEGER NOT NULL,
  txhash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tracks_by_owner ON tracks (owner_id, created_at);

CREATE TABLE IF NOT EXISTS playlists (
  playlist_id INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL,
  playlist_name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  is_album INTEGER NOT NULL DEFAULT 0,
  is_private INTEGER NOT NULL DEFAULT 0,
  playlist_contents TEXT NOT NULL DEFAULT '[]',  -- JSON [{track_id, timestamp, metadata_timestamp}]
  playlist_image_sizes_multihash TEXT NOT NULL DEFAULT '',
  is_delete INTEGER NOT NULL DEFAULT 0,
  repost_count INTEGER NOT NULL DEFAULT 0,
  save_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  blocknumber INTEGER NOT NULL,
  txhash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS playlists_by_owner ON playlists (owner_id, created_at);

CREATE TABLE IF NOT EXISTS follows (
  follower_id INTEGER NOT NULL, followee_id INTEGER NOT NULL, created_at INTEGER NOT NULL,
  PRIMARY KEY (follower_id, followee_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS follows_by_followee ON follows (followee_id, created_at);

CREATE TABLE IF NOT EXISTS subscriptions (
  subscriber_id INTEGER NOT NULL, user_id INTEGER NOT NULL, created_at INTEGER NOT NULL,
  PRIMARY KEY (subscriber_id, user_id)
) WITHOUT ROWID;

-- item_type: 'track' | 'playlist'
CREATE TABLE IF NOT EXISTS saves (
  user_id INTEGER NOT NULL, item_type TEXT NOT NULL, item_id INTEGER NOT NULL,
  is_save_of_repost INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, item_type, item_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS saves_by_item ON saves (item_type, item_id, created_at);
CREATE INDEX IF NOT EXISTS saves_by_time ON saves (item_type, created_at);

CREATE TABLE IF NOT EXISTS reposts (
  user_id INTEGER NOT NULL, item_type TEXT NOT NULL, item_id INTEGER NOT NULL, created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, item_type, item_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS reposts_by_item ON reposts (item_type, item_id, created_at);
CREATE INDEX IF NOT EXISTS reposts_by_time ON reposts (item_type, created_at);
CREATE INDEX IF NOT EXISTS reposts_by_user ON reposts (user_id, created_at);

-- reported by content nodes (off chain, so not part of the chain-derived index)
CREATE TABLE IF NOT EXISTS plays (id INTEGER PRIMARY KEY AUTOINCREMENT, track_id INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS plays_by_time ON plays (created_at, track_id);
-- the stream signature behind each counted play (signer:nonce), for one play per signature and the per-listener/IP limits
CREATE TABLE IF NOT EXISTS play_signatures (
  nonce TEXT PRIMARY KEY, track_id INTEGER NOT NULL, ip TEXT NOT NULL, user_id INTEGER, created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS play_signatures_by_ip ON play_signatures (ip, track_id, created_at);
CREATE INDEX IF NOT EXISTS play_signatures_by_user ON play_signatures (user_id, track_id, created_at);
CREATE INDEX IF NOT EXISTS play_signatures_by_time ON play_signatures (created_at);

-- music analysis of each track's audio upload, fetched from the content nodes' /uploads/:id
-- (analysisSync.ts): off chain like plays, keyed by the upload so a track that changes its audio
-- gets the new upload's analysis. status: pending (ask again at next_attempt_at) | done
CREATE TABLE IF NOT EXISTS upload_analyses (
  upload_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  bpm REAL,
  musical_key TEXT,
  loudness TEXT,                          -- JSON {integrated, range, truePeak, trackGain}
  waveform_cid TEXT,
  error_count INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0  -- unix ms
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS upload_analyses_by_bpm ON upload_analyses (bpm);

-- every indexed ManageEntity / ManageIsVerified event with its outcome: applied | ignored | rejected
CREATE TABLE IF NOT EXISTS actions (
  blocknumber INTEGER NOT NULL, log_index INTEGER NOT NULL, txhash TEXT NOT NULL,
  user_id TEXT NOT NULL, signer TEXT NOT NULL, entity_type TEXT NOT NULL, entity_id TEXT NOT NULL,
  action TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
  -- a rejection's ActionRejectionCode (sdk/protocol/actions), '' otherwise; added by migrate() to older files
  code TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (blocknumber, log_index)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS actions_by_tx ON actions (txhash);

CREATE VIRTUAL TABLE IF NOT EXISTS users_fts USING fts5(handle, name, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS tracks_fts USING fts5(title, tags, genre, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS playlists_fts USING fts5(playlist_name, tokenize = 'unicode61 remove_diacritics 2');

-- the eth chain's registered nodes (ethIndexer.ts)
CREATE TABLE IF NOT EXISTS service_providers (
  service_type TEXT NOT NULL,
  sp_id INTEGER NOT NULL,
  endpoint TEXT NOT NULL,
  owner TEXT NOT NULL,
  delegate_owner_wallet TEXT NOT NULL,
  block_number INTEGER NOT NULL,
  PRIMARY KEY (service_type, sp_id)
);
CREATE TABLE IF NOT EXISTS eth_checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), block_number INTEGER NOT NULL);
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
