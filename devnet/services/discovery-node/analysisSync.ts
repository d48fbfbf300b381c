import { isCid } from "../../../sdk/cid";
import { rendezvousRank } from "../../../sdk/rendezvous";
import type { AudioLoudness, UploadRecord } from "../../../sdk/protocol/upload";
import type { Db } from "./db";

/**
 * Music analysis for tracks, pulled from the content nodes as the reference's discovery node does
 * (its repair_audio_analyses task reads `/uploads/<audio_upload_id>` for tracks without bpm or key).
 * The analysis is not in the track's metadata: it is made after the upload is answered, often after
 * the Create is on chain, and a client cannot be trusted to copy it faithfully anyway. So a loop off
 * the indexing path asks the content nodes for each track's upload until its analysis is finished,
 * backing off per upload; the results land in `upload_analyses` (off chain, like plays).
 */
export interface AnalysisSyncConfig {
  db: Db;
  contentNodes: () => string[] | Promise<string[]>;
  /** called after results were stored, so cached responses are dropped */
  onChange: () => void;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** how often to look for tracks whose analysis is due; default 1 s */
  intervalMs?: number;
}

/** The first retry waits this long; each further one twice as long, up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 10 * 60 * 1000;
const BATCH = 16;
const REQUEST_TIMEOUT_MS = 5_000;
/** An upload record is a few hundred bytes; anything much larger is not one. */
const MAX_RECORD_BYTES = 64 * 1024;

export const backoffMs = (attempts: number) => Math.min(FIRST_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);

export interface AnalysisSync {
  /** one pass now: ask for every due upload; resolves when done (tests and the loop use it) */
  syncOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function startAnalysisSync(config: AnalysisSyncConfig): AnalysisSync {
  const { db, log } = config;
  const intervalMs = config.intervalMs ?? 1000;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;

  // DISTINCT in a subquery: PostgreSQL orders a DISTINCT only by selected columns
  const due = () =>
    db.all<{ upload_id: string; attempts: number }>(
      `SELECT upload_id, attempts FROM (
         SELECT DISTINCT t.audio_upload_id AS upload_id, COALESCE(a.attempts, 0) AS attempts, COALESCE(a.next_attempt_at, 0) AS due_at
         FROM tracks t LEFT JOIN upload_analyses a ON a.upload_id = t.audio_upload_id
         WHERE t.audio_upload_id != '' AND t.is_delete = 0 AND (a.upload_id IS NULL OR (a.status = 'pending' AND a.next_attempt_at <= ?))
       ) d ORDER BY due_at LIMIT ?`,
      [Date.now(), BATCH],
    );

  async function pass(): Promise<void> {
    const rows = await due();
    if (rows.length === 0) return;
    const nodes = await config.contentNodes();
    let changed = false;
    for (const { upload_id, attempts } of rows) {
      if (abort.signal.aborted) return;
      const record = await findUpload(nodes, upload_id, abort.signal);
      const finished = record && (record.audio_analysis_status === "done" || record.audio_analysis_status === "error" || record.status === "error");
      if (abort.signal.aborted) return;
      if (finished) {
        await storeFinished(db, upload_id, record);
        changed = true;
      } else {
        const next = attempts + 1;
        (await db.run(`INSERT INTO upload_analyses (upload_id, status, attempts, next_attempt_at) VALUES (?, 'pending', ?, ?)
           ON CONFLICT(upload_id) DO UPDATE SET attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at`, [upload_id, next, Date.now() + backoffMs(next)]));
      }
    }
    if (changed) config.onChange();
  }

  function syncOnce(): Promise<void> {
    current ??= pass()
      .catch((err) => log("analysis sync failed", { error: String(err) }))
      .finally(() => (current = undefined));
    return current;
  }

  const tick = () => {
    if (abort.signal.aborted) return;
    void syncOnce().finally(() => {
      if (!abort.signal.aborted) timer = setTimeout(tick, intervalMs);
    });
  };
  timer = setTimeout(tick, intervalMs);

  return {
    syncOnce,
    async stop() {
      abort.abort();
      clearTimeout(timer);
      await current;
    },
  };
}

/** The upload from the first content node that has it, in rendezvous order; undefined when none answers it. */
async function findUpload(nodes: string[], uploadId: string, signal: AbortSignal): Promise<UploadRecord | undefined> {
  for (const node of rendezvousRank(nodes, uploadId)) {
    try {
      const res = await fetch(`${node.replace(/\/+$/, "")}/uploads/${encodeURIComponent(uploadId)}`, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      const text = await res.text();
      if (res.status !== 200 || text.length > MAX_RECORD_BYTES) continue;
      const record = JSON.parse(text) as UploadRecord;
      if (record && typeof record === "object" && record.id === uploadId) return record;
    } catch {
      // that node is down, slow or answered nonsense: ask the next
    }
  }
  return undefined;
}

/** Store a finished analysis, keeping only values of the right type and size from the node's answer. */
async function storeFinished(db: Db, uploadId: string, record: UploadRecord): Promise<void> {
  const r = record.audio_analysis_results;
  const bpm = typeof r?.bpm === "number" && Number.isFinite(r.bpm) && r.bpm > 0 && r.bpm < 1000 ? r.bpm : null;
  const key = typeof r?.key === "string" && r.key.length > 0 && r.key.length <= 40 ? r.key : null;
  const loudness = validLoudness(r?.loudness);
  const waveformCid = isCid(r?.waveform_cid) ? r!.waveform_cid : null;
  const errors = Number.isSafeInteger(record.audio_analysis_error_count) ? Math.max(0, record.audio_analysis_error_count) : 0;
  (await db.run(`INSERT INTO upload_analyses (upload_id, status, bpm, musical_key, loudness, waveform_cid, error_count, attempts, next_attempt_at)
     VALUES (?, 'done', ?, ?, ?, ?, ?, 0, 0)
     ON CONFLICT(upload_id) DO UPDATE SET status = 'done', bpm = excluded.bpm, musical_key = excluded.musical_key,
       loudness = excluded.loudness, waveform_cid = excluded.waveform_cid, error_count = excluded.error_count`, [uploadId, bpm, key, loudness && JSON.stringify(loudness), waveformCid, errors]));
}

function validLoudness(value: unknown): AudioLoudness | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  const fields = ["integrated", "range", "truePeak", "trackGain"] as const;
  if (!fields.every((f) => typeof v[f] === "number" && Number.isFinite(v[f]))) return null;
  return { integrated: v.integrated as number, range: v.range as number, truePeak: v.truePeak as number, trackGain: v.trackGain as number };
}
