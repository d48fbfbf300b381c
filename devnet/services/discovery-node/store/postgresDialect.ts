import type { FtsDialect } from "./fts";

/**
 * The index's PostgreSQL schema: sqliteDialect.ts's tables with BIGINT for ids, block numbers and
 * timestamps, an identity column for plays, and tsvector columns with GIN indexes for search.
 */
export const POSTGRES_SCHEMA = `
CREATE TABLE IF NOT EXISTS indexing_checkpoint (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  last_block BIGINT NOT NULL,
  last_block_hash TEXT NOT NULL
);
-- hashes of indexed blocks that carried events (for /block_confirmation without a chain call)
CREATE TABLE IF NOT EXISTS blocks (number BIGINT PRIMARY KEY, hash TEXT NOT NULL, timestamp BIGINT NOT NULL);

CREATE TABLE IF NOT EXISTS users (
  user_id BIGINT PRIMARY KEY,
  handle TEXT NOT NULL,
  handle_lc TEXT NOT NULL UNIQUE,
  wallet TEXT NOT NULL UNIQUE,            -- lower-case address; one wallet owns one user
  name TEXT NOT NULL DEFAULT '',
  bio TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  profile_picture_sizes TEXT NOT NULL DEFAULT '',
  cover_photo_sizes TEXT NOT NULL DEFAULT '',
  is_verified BIGINT NOT NULL DEFAULT 0,
  is_deactivated BIGINT NOT NULL DEFAULT 0,
  track_count BIGINT NOT NULL DEFAULT 0,
  playlist_count BIGINT NOT NULL DEFAULT 0,
  album_count BIGINT NOT NULL DEFAULT 0,
  follower_count BIGINT NOT NULL DEFAULT 0,
  followee_count BIGINT NOT NULL DEFAULT 0,
  repost_count BIGINT NOT NULL DEFAULT 0,
  subscriber_count BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  blocknumber BIGINT NOT NULL,
  txhash TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS tracks (
  track_id BIGINT PRIMARY KEY,
  owner_id BIGINT NOT NULL,
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
  duration BIGINT NOT NULL DEFAULT 0,
  release_date TEXT NOT NULL DEFAULT '',
  is_downloadable BIGINT NOT NULL DEFAULT 0,
  is_delete BIGINT NOT NULL DEFAULT 0,
  play_count BIGINT NOT NULL DEFAULT 0,
  repost_count BIGINT NOT NULL DEFAULT 0,
  save_count BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  blocknumber BIGINT NOT NULL,
  txhash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tracks_by_owner ON tracks (owner_id, created_at);

CREATE TABLE IF NOT EXISTS playlists (
  playlist_id BIGINT PRIMARY KEY,
  owner_id BIGINT NOT NULL,
  playlist_name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  is_album BIGINT NOT NULL DEFAULT 0,
  is_private BIGINT NOT NULL DEFAULT 0,
  playlist_contents TEXT NOT NULL DEFAULT '[]',  -- JSON [{track_id, timestamp, metadata_timestamp}]
  playlist_image_sizes_multihash TEXT NOT NULL DEFAULT '',
  is_delete BIGINT NOT NULL DEFAULT 0,
  repost_count BIGINT NOT NULL DEFAULT 0,
  save_count BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  blocknumber BIGINT NOT NULL,
  txhash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS playlists_by_owner ON playlists (owner_id, created_at);

CREATE TABLE IF NOT EXISTS follows (
  follower_id BIGINT NOT NULL, followee_id BIGINT NOT NULL, created_at BIGINT NOT NULL,
  PRIMARY KEY (follower_id, followee_id)
);
CREATE INDEX IF NOT EXISTS follows_by_followee ON follows (followee_id, created_at);

CREATE TABLE IF NOT EXISTS subscriptions (
  subscriber_id BIGINT NOT NULL, user_id BIGINT NOT NULL, created_at BIGINT NOT NULL,
  PRIMARY KEY (subscriber_id, user_id)
);

-- item_type: 'track' | 'playlist'
CREATE TABLE IF NOT EXISTS saves (
  user_id BIGINT NOT NULL, item_type TEXT NOT NULL, item_id BIGINT NOT NULL,
  is_save_of_repost BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, item_type, item_id)
);
CREATE INDEX IF NOT EXISTS saves_by_item ON saves (item_type, item_id, created_at);
CREATE INDEX IF NOT EXISTS saves_by_time ON saves (item_type, created_at);

CREATE TABLE IF NOT EXISTS reposts (
  user_id BIGINT NOT NULL, item_type TEXT NOT NULL, item_id BIGINT NOT NULL, created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, item_type, item_id)
);
CREATE INDEX IF NOT EXISTS reposts_by_item ON reposts (item_type, item_id, created_at);
CREATE INDEX IF NOT EXISTS reposts_by_time ON reposts (item_type, created_at);
CREATE INDEX IF NOT EXISTS reposts_by_user ON reposts (user_id, created_at);

-- reported by content nodes (off chain, so not part of the chain-derived index)
CREATE TABLE IF NOT EXISTS plays (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, track_id BIGINT NOT NULL, created_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS plays_by_time ON plays (created_at, track_id);
-- the stream signature behind each counted play (signer:nonce), for one play per signature and the per-listener/IP limits
CREATE TABLE IF NOT EXISTS play_signatures (
  nonce TEXT PRIMARY KEY, track_id BIGINT NOT NULL, ip TEXT NOT NULL, user_id BIGINT, created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS play_signatures_by_ip ON play_signatures (ip, track_id, created_at);
CREATE INDEX IF NOT EXISTS play_signatures_by_user ON play_signatures (user_id, track_id, created_at);
CREATE INDEX IF NOT EXISTS play_signatures_by_time ON play_signatures (created_at);

-- music analysis of each track's audio upload, fetched from the content nodes' /uploads/:id
-- (analysisSync.ts): off chain like plays, keyed by the upload so a track that changes its audio
-- gets the new upload's analysis. status: pending (ask again at next_attempt_at) | done
CREATE TABLE IF NOT EXISTS upload_analyses (
  upload_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  bpm DOUBLE PRECISION,
  musical_key TEXT,
  loudness TEXT,                          -- JSON {integrated, range, truePeak, trackGain}
  waveform_cid TEXT,
  error_count BIGINT NOT NULL DEFAULT 0,
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL DEFAULT 0  -- unix ms
);
CREATE INDEX IF NOT EXISTS upload_analyses_by_bpm ON upload_analyses (bpm);

-- every indexed ManageEntity / ManageIsVerified event with its outcome: applied | ignored | rejected
CREATE TABLE IF NOT EXISTS actions (
  blocknumber BIGINT NOT NULL, log_index BIGINT NOT NULL, txhash TEXT NOT NULL,
  user_id TEXT NOT NULL, signer TEXT NOT NULL, entity_type TEXT NOT NULL, entity_id TEXT NOT NULL,
  action TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
  -- a rejection's ActionRejectionCode (sdk/protocol/actions), '' otherwise; added by migrate() to older files
  code TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (blocknumber, log_index)
);
CREATE INDEX IF NOT EXISTS actions_by_tx ON actions (txhash);

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

-- the eth chain's registered nodes (ethIndexer.ts)
CREATE TABLE IF NOT EXISTS service_providers (
  service_type TEXT NOT NULL,
  sp_id BIGINT NOT NULL,
  endpoint TEXT NOT NULL,
  owner TEXT NOT NULL,
  delegate_owner_wallet TEXT NOT NULL,
  block_number BIGINT NOT NULL,
  PRIMARY KEY (service_type, sp_id)
);
CREATE TABLE IF NOT EXISTS eth_checkpoint (id BIGINT PRIMARY KEY CHECK (id = 1), block_number BIGINT NOT NULL);
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
