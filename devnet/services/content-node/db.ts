import Database from "better-sqlite3";
import type { AudioAnalysisResults, AudioAnalysisStatus, UploadRecord, UploadStatus, UploadTemplate } from "../../../sdk/protocol/upload";
import { createIpfsIndex } from "./ipfsIndex";

/**
 * The content node's SQLite file: uploads (what clients asked for and how far they got) and blobs
 * (what this node holds on disk, with the sniffed Content-Type it is served with).
 */

export type { UploadStatus, UploadTemplate };
/** The wire shape of an upload lives in the SDK, which reads it (PROTOCOL.md §5). */
export type Upload = UploadRecord;

interface UploadRow {
  id: string;
  status: UploadStatus;
  template: UploadTemplate;
  orig_file_cid: string;
  orig_filename: string;
  results: string;
  probe: string;
  transcode_progress: number;
  error: string | null;
  user_wallet: string;
  preview_start: number;
  attempts: number;
  audio_analysis_status: AudioAnalysisStatus;
  audio_analysis_results: string | null;
  audio_analysis_error_count: number;
  audio_analysis_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface BlobRow {
  cid: string;
  size: number;
  content_type: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS uploads (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  template TEXT NOT NULL,
  orig_file_cid TEXT NOT NULL,
  orig_filename TEXT NOT NULL,
  results TEXT NOT NULL DEFAULT '{}',
  probe TEXT NOT NULL DEFAULT '{}',
  transcode_progress REAL NOT NULL DEFAULT 0,
  error TEXT,
  user_wallet TEXT NOT NULL,
  preview_start REAL NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS uploads_status ON uploads(status);
CREATE TABLE IF NOT EXISTS used_request_signatures (
  replay_key TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS blobs (
  cid TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  created_at TEXT NOT NULL
);
-- nonces of signed peer requests, kept until their signature expires, so none is accepted twice
CREATE TABLE IF NOT EXISTS peer_nonces (
  nonce TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS peer_nonces_by_expiry ON peer_nonces(expires_at);
`;

/** Columns added after the first release: added in place to an older file. */
const MIGRATIONS: { table: string; column: string; ddl: string }[] = [
  // the blob's UnixFS leaf digests (32 bytes each), checked once against the CID, then per chunk read
  { table: "blobs", column: "leaves", ddl: "ALTER TABLE blobs ADD COLUMN leaves BLOB" },
  // music analysis (analyzer.ts): status, results JSON, failed parts and runs, the last failure
  { table: "uploads", column: "audio_analysis_status", ddl: "ALTER TABLE uploads ADD COLUMN audio_analysis_status TEXT NOT NULL DEFAULT ''" },
  { table: "uploads", column: "audio_analysis_results", ddl: "ALTER TABLE uploads ADD COLUMN audio_analysis_results TEXT" },
  { table: "uploads", column: "audio_analysis_error_count", ddl: "ALTER TABLE uploads ADD COLUMN audio_analysis_error_count INTEGER NOT NULL DEFAULT 0" },
  { table: "uploads", column: "audio_analysis_error", ddl: "ALTER TABLE uploads ADD COLUMN audio_analysis_error TEXT" },
];

export type ContentDb = ReturnType<typeof openContentDb>;

export function openContentDb(file: string) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(SCHEMA);
  for (const m of MIGRATIONS) {
    const columns = db.prepare(`PRAGMA table_info(${m.table})`).all() as { name: string }[];
    if (!columns.some((c) => c.name === m.column)) db.exec(m.ddl);
  }
  // Each blob's IPFS blocks are indexed with its leaf digests, in the same transaction.
  const ipfs = createIpfsIndex(db);
  ipfs.backfill();

  const insertUpload = db.prepare(
    `INSERT INTO uploads (id, status, template, orig_file_cid, orig_filename, results, probe, transcode_progress, error,
       user_wallet, preview_start, attempts, created_at, updated_at)
     VALUES (@id, @status, @template, @orig_file_cid, @orig_filename, @results, @probe, @transcode_progress, @error,
       @user_wallet, @preview_start, 0, @created_at, @updated_at)`,
  );
  const selectUpload = db.prepare(`SELECT * FROM uploads WHERE id = ?`);
  const selectByStatus = db.prepare(`SELECT * FROM uploads WHERE status IN ('new', 'busy') ORDER BY created_at`);
  const selectUnanalysed = db.prepare(
    `SELECT * FROM uploads WHERE status = 'done' AND audio_analysis_status IN ('new', 'busy') ORDER BY created_at`,
  );
  const countUploads = db.prepare(`SELECT COUNT(*) AS n FROM uploads`);
  const insertBlob = db.prepare(
    `INSERT INTO blobs (cid, size, content_type, created_at, leaves) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(cid) DO UPDATE SET size = excluded.size, content_type = excluded.content_type, leaves = excluded.leaves`,
  );
  const selectLeaves = db.prepare(`SELECT leaves FROM blobs WHERE cid = ?`).pluck();
  const updateLeaves = db.prepare(`UPDATE blobs SET leaves = ? WHERE cid = ?`);
  const insertNonce = db.prepare(`INSERT OR IGNORE INTO peer_nonces (nonce, expires_at) VALUES (?, ?)`);
  const pruneNonces = db.prepare(`DELETE FROM peer_nonces WHERE expires_at < ?`);
  const selectBlob = db.prepare(`SELECT cid, size, content_type FROM blobs WHERE cid = ?`);
  const deleteBlob = db.prepare(`DELETE FROM blobs WHERE cid = ?`);
  const listBlobs = db.prepare(`SELECT cid, size, content_type FROM blobs ORDER BY cid`);
  const dropExpiredSignatures = db.prepare(`DELETE FROM used_request_signatures WHERE expires_at < ?`);
  const insertSignature = db.prepare(`INSERT OR IGNORE INTO used_request_signatures (replay_key, expires_at) VALUES (?, ?)`);

  const now = () => new Date().toISOString();

  // Named functions over the transactions: the declaration build cannot name better-sqlite3's Transaction type.
  const putBlob = db.transaction((cid: string, size: number, contentType: string, leaves: Buffer) => {
    insertBlob.run(cid, size, contentType, now(), leaves);
    ipfs.index(cid, size, leaves);
  });
  const setLeaves = db.transaction((cid: string, leaves: Buffer) => {
    updateLeaves.run(leaves, cid);
    const row = selectBlob.get(cid) as BlobRow | undefined;
    if (row) ipfs.index(cid, row.size, leaves);
  });
  const dropBlob = db.transaction((cid: string) => {
    deleteBlob.run(cid);
    ipfs.drop(cid);
  });

  return {
    close: (): void => {
      db.close();
    },

    /**
     * Run `write` as one transaction that is on disk when this returns: what a client or a peer is
     * told was stored (a blob's row, an upload's row). The file runs with synchronous = NORMAL, whose
     * WAL commits survive the process dying but not the machine; FULL for this one commit adds the
     * WAL's fsync to it, one per stored blob.
     */
    durably<T>(write: () => T): T {
      db.pragma("synchronous = FULL");
      try {
        return db.transaction(write)();
      } finally {
        db.pragma("synchronous = NORMAL");
      }
    },

    insertUpload(u: { id: string; status: UploadStatus; template: UploadTemplate; orig_file_cid: string; orig_filename: string;
      results?: Record<string, string>; probe?: object; transcode_progress?: number; user_wallet: string; preview_start?: number }): Upload {
      const t = now();
      insertUpload.run({
        id: u.id,
        status: u.status,
        template: u.template,
        orig_file_cid: u.orig_file_cid,
        orig_filename: u.orig_filename,
        results: JSON.stringify(u.results ?? {}),
        probe: JSON.stringify(u.probe ?? {}),
        transcode_progress: u.transcode_progress ?? 0,
        error: null,
        user_wallet: u.user_wallet,
        preview_start: u.preview_start ?? 0,
        created_at: t,
        updated_at: t,
      });
      return this.getUpload(u.id)!;
    },

    getUpload(id: string): Upload | undefined {
      const row = selectUpload.get(id) as UploadRow | undefined;
      return row && toUpload(row);
    },

    /** Internal fields the transcoder needs. */
    getJob(id: string): { upload: Upload; previewStart: number; attempts: number } | undefined {
      const row = selectUpload.get(id) as UploadRow | undefined;
      return row && { upload: toUpload(row), previewStart: row.preview_start, attempts: row.attempts };
    },

    /** Uploads whose transcode has not finished (new, or busy when the node stopped). */
    /** what /metrics reports: uploads taken, uploads not yet transcoded, blobs held */
    stats(): { uploads: number; transcodeBacklog: number; blobs: number } {
      return db.prepare(
        `SELECT (SELECT count(*) FROM uploads) AS uploads, (SELECT count(*) FROM uploads WHERE status IN ('new', 'busy')) AS transcodeBacklog, (SELECT count(*) FROM blobs) AS blobs`,
      ).get() as { uploads: number; transcodeBacklog: number; blobs: number };
    },
    unfinishedUploads(): Upload[] {
      return (selectByStatus.all() as UploadRow[]).map(toUpload);
    },

    /** Done uploads whose analysis has not finished (new, or busy when the node stopped). */
    unanalysedUploads(): Upload[] {
      return (selectUnanalysed.all() as UploadRow[]).map(toUpload);
    },

    updateUpload(
      id: string,
      patch: Partial<Pick<Upload, "status" | "results" | "probe" | "transcode_progress" | "error" | "audio_analysis_status" | "audio_analysis_results" | "audio_analysis_error_count" | "audio_analysis_error">> & { attempts?: number; preview_start?: number },
    ) {
      const sets: string[] = [];
      const values: Record<string, unknown> = { id, updated_at: now() };
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        sets.push(`${key} = @${key}`);
        values[key] = key === "results" || key === "probe" || key === "audio_analysis_results" ? JSON.stringify(value) : value;
      }
      sets.push("updated_at = @updated_at");
      db.prepare(`UPDATE uploads SET ${sets.join(", ")} WHERE id = @id`).run(values);
    },

    /** Record a request signature as spent; false when it was spent before (a replay). */
    spendRequestSignature(replayKey: string, expiresAt: number): boolean {
      dropExpiredSignatures.run(Date.now());
      return insertSignature.run(replayKey, expiresAt).changes === 1;
    },

    uploadsCount: () => (countUploads.get() as { n: number }).n,

    putBlob: (cid: string, size: number, contentType: string, leaves: Buffer): void => putBlob(cid, size, contentType, leaves),
    /** the blob's leaf digests, or undefined for a blob stored before they were kept */
    getLeaves: (cid: string) => (selectLeaves.get(cid) as Buffer | null | undefined) ?? undefined,
    setLeaves: (cid: string, leaves: Buffer): void => setLeaves(cid, leaves),
    /** the held blobs whose UnixFS DAG holds the block with this multihash (ipfsIndex.ts) */
    blobsWithBlock: ipfs.blobsWithBlock,
    /** Record a signed request's nonce; false when it was seen before (a replay). */
    useNonce(nonce: string, expiresAt: number): boolean {
      pruneNonces.run(Date.now());
      return insertNonce.run(nonce, expiresAt).changes === 1;
    },
    getBlob: (cid: string) => selectBlob.get(cid) as BlobRow | undefined,
    deleteBlob: (cid: string): void => dropBlob(cid),
    listBlobs: () => listBlobs.all() as BlobRow[],
  };
}

function toUpload(row: UploadRow): Upload {
  const upload: Upload = {
    id: row.id,
    status: row.status,
    template: row.template,
    orig_file_cid: row.orig_file_cid,
    orig_filename: row.orig_filename,
    results: JSON.parse(row.results),
    probe: JSON.parse(row.probe),
    transcode_progress: row.transcode_progress,
    user_wallet: row.user_wallet,
    audio_analysis_status: row.audio_analysis_status,
    audio_analysis_results: row.audio_analysis_results === null ? null : (JSON.parse(row.audio_analysis_results) as AudioAnalysisResults),
    audio_analysis_error_count: row.audio_analysis_error_count,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
  if (row.error) upload.error = row.error;
  if (row.audio_analysis_error) upload.audio_analysis_error = row.audio_analysis_error;
  return upload;
}
