/**
 * The discovery index's tables, written once for both backends. Everything except `plays` and
 * `upload_analyses` is derived from the data chain, and the checkpoint (last indexed block and its
 * hash) moves in the same transaction as the entity changes of its batch, so a crash never loses or
 * double-applies an action. Timestamps are unix seconds (block time for chain rows, wall time for
 * plays). The backends differ only in the column types below and in full-text search, which each
 * dialect adds in its own way (sqliteDialect.ts: FTS5; postgresDialect.ts: tsvector + GIN).
 */
export interface ColumnTypes {
  /** integers: ids, counts, block numbers, timestamps (some in ms, past 2^31) */
  int: string;
  real: string;
  /** after a table with a natural primary key */
  withoutRowid: string;
  /** a generated integer primary key */
  serialKey: string;
}

export const indexTables = (t: ColumnTypes) => `
CREATE TABLE IF NOT EXISTS indexing_checkpoint (
  id ${t.int} PRIMARY KEY CHECK (id = 1),
  last_block ${t.int} NOT NULL,
  last_block_hash TEXT NOT NULL
);
-- hashes of indexed blocks that carried events (for /block_confirmation without a chain call)
CREATE TABLE IF NOT EXISTS blocks (number ${t.int} PRIMARY KEY, hash TEXT NOT NULL, timestamp ${t.int} NOT NULL);

CREATE TABLE IF NOT EXISTS users (
  user_id ${t.int} PRIMARY KEY,
  handle TEXT NOT NULL,
  handle_lc TEXT NOT NULL UNIQUE,
  wallet TEXT NOT NULL UNIQUE,            -- lower-case address; one wallet owns one user
  name TEXT NOT NULL DEFAULT '',
  bio TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  profile_picture_sizes TEXT NOT NULL DEFAULT '',
  cover_photo_sizes TEXT NOT NULL DEFAULT '',
  is_verified ${t.int} NOT NULL DEFAULT 0,
  is_deactivated ${t.int} NOT NULL DEFAULT 0,
  track_count ${t.int} NOT NULL DEFAULT 0,
  playlist_count ${t.int} NOT NULL DEFAULT 0,
  album_count ${t.int} NOT NULL DEFAULT 0,
  follower_count ${t.int} NOT NULL DEFAULT 0,
  followee_count ${t.int} NOT NULL DEFAULT 0,
  repost_count ${t.int} NOT NULL DEFAULT 0,
  subscriber_count ${t.int} NOT NULL DEFAULT 0,
  created_at ${t.int} NOT NULL,
  updated_at ${t.int} NOT NULL,
  blocknumber ${t.int} NOT NULL,
  txhash TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS tracks (
  track_id ${t.int} PRIMARY KEY,
  owner_id ${t.int} NOT NULL,
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
  duration ${t.int} NOT NULL DEFAULT 0,
  release_date TEXT NOT NULL DEFAULT '',
  is_downloadable ${t.int} NOT NULL DEFAULT 0,
  is_delete ${t.int} NOT NULL DEFAULT 0,
  play_count ${t.int} NOT NULL DEFAULT 0,
  repost_count ${t.int} NOT NULL DEFAULT 0,
  save_count ${t.int} NOT NULL DEFAULT 0,
  created_at ${t.int} NOT NULL,
  updated_at ${t.int} NOT NULL,
  blocknumber ${t.int} NOT NULL,
  txhash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tracks_by_owner ON tracks (owner_id, created_at);

CREATE TABLE IF NOT EXISTS playlists (
  playlist_id ${t.int} PRIMARY KEY,
  owner_id ${t.int} NOT NULL,
  playlist_name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  is_album ${t.int} NOT NULL DEFAULT 0,
  is_private ${t.int} NOT NULL DEFAULT 0,
  playlist_contents TEXT NOT NULL DEFAULT '[]',  -- JSON [{track_id, timestamp, metadata_timestamp}]
  playlist_image_sizes_multihash TEXT NOT NULL DEFAULT '',
  is_delete ${t.int} NOT NULL DEFAULT 0,
  repost_count ${t.int} NOT NULL DEFAULT 0,
  save_count ${t.int} NOT NULL DEFAULT 0,
  created_at ${t.int} NOT NULL,
  updated_at ${t.int} NOT NULL,
  blocknumber ${t.int} NOT NULL,
  txhash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS playlists_by_owner ON playlists (owner_id, created_at);

CREATE TABLE IF NOT EXISTS follows (
  follower_id ${t.int} NOT NULL, followee_id ${t.int} NOT NULL, created_at ${t.int} NOT NULL,
  PRIMARY KEY (follower_id, followee_id)
)${t.withoutRowid};
CREATE INDEX IF NOT EXISTS follows_by_followee ON follows (followee_id, created_at);

CREATE TABLE IF NOT EXISTS subscriptions (
  subscriber_id ${t.int} NOT NULL, user_id ${t.int} NOT NULL, created_at ${t.int} NOT NULL,
  PRIMARY KEY (subscriber_id, user_id)
)${t.withoutRowid};

-- item_type: 'track' | 'playlist'
CREATE TABLE IF NOT EXISTS saves (
  user_id ${t.int} NOT NULL, item_type TEXT NOT NULL, item_id ${t.int} NOT NULL,
  is_save_of_repost ${t.int} NOT NULL DEFAULT 0, created_at ${t.int} NOT NULL,
  PRIMARY KEY (user_id, item_type, item_id)
)${t.withoutRowid};
CREATE INDEX IF NOT EXISTS saves_by_item ON saves (item_type, item_id, created_at);
CREATE INDEX IF NOT EXISTS saves_by_time ON saves (item_type, created_at);

CREATE TABLE IF NOT EXISTS reposts (
  user_id ${t.int} NOT NULL, item_type TEXT NOT NULL, item_id ${t.int} NOT NULL, created_at ${t.int} NOT NULL,
  PRIMARY KEY (user_id, item_type, item_id)
)${t.withoutRowid};
CREATE INDEX IF NOT EXISTS reposts_by_item ON reposts (item_type, item_id, created_at);
CREATE INDEX IF NOT EXISTS reposts_by_time ON reposts (item_type, created_at);
CREATE INDEX IF NOT EXISTS reposts_by_user ON reposts (user_id, created_at);

-- reported by content nodes (off chain, so not part of the chain-derived index)
CREATE TABLE IF NOT EXISTS plays (id ${t.serialKey}, track_id ${t.int} NOT NULL, created_at ${t.int} NOT NULL);
CREATE INDEX IF NOT EXISTS plays_by_time ON plays (created_at, track_id);
-- the stream signature behind each counted play (signer:nonce), for one play per signature and the per-listener/IP limits
CREATE TABLE IF NOT EXISTS play_signatures (
  nonce TEXT PRIMARY KEY, track_id ${t.int} NOT NULL, ip TEXT NOT NULL, user_id ${t.int}, created_at ${t.int} NOT NULL
)${t.withoutRowid};
CREATE INDEX IF NOT EXISTS play_signatures_by_ip ON play_signatures (ip, track_id, created_at);
CREATE INDEX IF NOT EXISTS play_signatures_by_user ON play_signatures (user_id, track_id, created_at);
CREATE INDEX IF NOT EXISTS play_signatures_by_time ON play_signatures (created_at);

-- music analysis of each track's audio upload, fetched from the content nodes' /uploads/:id
-- (analysisSync.ts): off chain like plays, keyed by the upload so a track that changes its audio
-- gets the new upload's analysis. status: pending (ask again at next_attempt_at) | done
CREATE TABLE IF NOT EXISTS upload_analyses (
  upload_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  bpm ${t.real},
  musical_key TEXT,
  loudness TEXT,                          -- JSON {integrated, range, truePeak, trackGain}
  waveform_cid TEXT,
  error_count ${t.int} NOT NULL DEFAULT 0,
  attempts ${t.int} NOT NULL DEFAULT 0,
  next_attempt_at ${t.int} NOT NULL DEFAULT 0  -- unix ms
)${t.withoutRowid};
CREATE INDEX IF NOT EXISTS upload_analyses_by_bpm ON upload_analyses (bpm);

-- every indexed ManageEntity / ManageIsVerified event with its outcome: applied | ignored | rejected
CREATE TABLE IF NOT EXISTS actions (
  blocknumber ${t.int} NOT NULL, log_index ${t.int} NOT NULL, txhash TEXT NOT NULL,
  user_id TEXT NOT NULL, signer TEXT NOT NULL, entity_type TEXT NOT NULL, entity_id TEXT NOT NULL,
  action TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
  -- a rejection's ActionRejectionCode (sdk/protocol/actions), '' otherwise; added by migrate() to older files
  code TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (blocknumber, log_index)
)${t.withoutRowid};
CREATE INDEX IF NOT EXISTS actions_by_tx ON actions (txhash);

-- the eth chain's registered nodes (ethIndexer.ts)
CREATE TABLE IF NOT EXISTS service_providers (
  service_type TEXT NOT NULL,
  sp_id ${t.int} NOT NULL,
  endpoint TEXT NOT NULL,
  owner TEXT NOT NULL,
  delegate_owner_wallet TEXT NOT NULL,
  block_number ${t.int} NOT NULL,
  PRIMARY KEY (service_type, sp_id)
);
CREATE TABLE IF NOT EXISTS eth_checkpoint (id ${t.int} PRIMARY KEY CHECK (id = 1), block_number ${t.int} NOT NULL);
`;
