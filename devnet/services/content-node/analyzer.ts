import fs from "node:fs";
import { cidOfStream } from "../../../sdk/cid";
import type { AudioAnalysisResults } from "../../../sdk/protocol/upload";
import { analyzeAudio, type AudioAnalysis, type Waveform } from "./analysis";
import type { NodeContext } from "./context";
import { WAVEFORM_CONTENT_TYPE } from "./sniff";
import { createJobQueue } from "./jobQueue";

/** An analysis interrupted this many times (node stopped or crashed while busy) is given up as error. */
export const MAX_ANALYSIS_RUNS = 3;
/** Longer than any analysis of a track the node accepts should take; a hung ffmpeg is killed. */
const ANALYSIS_DEADLINE_MS = 10 * 60 * 1000;

/**
 * Music analysis after the transcode, off the request path (as the reference's mediorum does): the
 * upload is done already, and its record gains `audio_analysis_results` when they are ready. At most
 * `analysisWorkers` analyses at once, FIFO. State lives in the uploads table: an analysis busy when
 * the node stopped counts one error and runs again on the next start, up to MAX_ANALYSIS_RUNS.
 * A part that fails (tempo of silence, say) counts one error and leaves that part null; it never
 * fails the upload.
 */
export function createAnalyzer(ctx: NodeContext) {
  const { settings, db, store } = ctx;
  const queue = createJobQueue({ name: "analysis", workers: () => settings.analysisWorkers, log: settings.log, run: runJob });
  const enqueue = queue.enqueue;

  async function runJob(id: string, stopSignal: AbortSignal): Promise<void> {
    const upload = db.getUpload(id);
    if (!upload || upload.template !== "audio" || upload.status !== "done") return;
    let errorCount = upload.audio_analysis_error_count;
    if (upload.audio_analysis_status === "busy") {
      // busy in the table but not running here: the node stopped mid-analysis
      errorCount += 1;
      if (errorCount >= MAX_ANALYSIS_RUNS) {
        const error = `analysis was interrupted ${errorCount} times`;
        db.updateUpload(id, { audio_analysis_status: "error", audio_analysis_error_count: errorCount, audio_analysis_error: error });
        return;
      }
    } else if (upload.audio_analysis_status !== "new") return;
    db.updateUpload(id, { audio_analysis_status: "busy", audio_analysis_error_count: errorCount });

    const blob = store.get(upload.results["320"] ?? "");
    if (!blob) {
      const error = "the transcoded audio is no longer on this node";
      db.updateUpload(id, { audio_analysis_status: "error", audio_analysis_error_count: errorCount + 1, audio_analysis_error: error });
      return;
    }
    // The node's own 320 kbps MP3 is what is analysed: ffmpeg then reads only bytes it wrote itself.
    const signal = AbortSignal.any([stopSignal, AbortSignal.timeout(ANALYSIS_DEADLINE_MS)]);
    let analysis: AudioAnalysis;
    try {
      analysis = await analyzeAudio({ file: blob.path, signal });
    } catch (err) {
      if (stopSignal.aborted) return; // stopping: stays busy, resumed (and counted) on the next start
      const error = err instanceof Error ? err.message : String(err);
      settings.log("analysis failed", { id, error });
      db.updateUpload(id, { audio_analysis_status: "error", audio_analysis_error_count: errorCount + 1, audio_analysis_error: error });
      return;
    }
    const errors = analysis.errors.map((e) => `${e.part}: ${e.message}`);
    let waveformCid: string | null = null;
    if (analysis.waveform) {
      try {
        waveformCid = await storeWaveform(analysis.waveform);
      } catch (err) {
        errors.push(`waveform: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (stopSignal.aborted) return;
    const results: AudioAnalysisResults = {
      bpm: analysis.bpm,
      key: analysis.key,
      loudness: analysis.loudness,
      waveform_cid: waveformCid,
    };
    db.updateUpload(id, {
      audio_analysis_status: errors.length === 0 ? "done" : "error",
      audio_analysis_results: results,
      audio_analysis_error_count: errorCount + errors.length,
      ...(errors.length > 0 ? { audio_analysis_error: errors.join("; ") } : {}),
    });
    settings.log("analysed", { id, bpm: results.bpm, key: results.key, errors: errors.length });
    if (waveformCid) ctx.replicate([waveformCid]);
  }

  /** Write the waveform as a blob under its own CID, like every other blob (served by /ipfs/:cid, replicated). */
  async function storeWaveform(waveform: Waveform): Promise<string> {
    const file = store.tmpPath(".json");
    try {
      await fs.promises.writeFile(file, waveformJson(waveform));
      const cid = await cidOfStream(fs.createReadStream(file));
      const { size } = await fs.promises.stat(file);
      await store.commit(file, cid, size, WAVEFORM_CONTENT_TYPE);
      return cid;
    } finally {
      await store.discard(file);
    }
  }

  return {
    enqueue,
    /** Queue every analysis left new or busy by a previous run. */
    resume(): void {
      for (const upload of db.unanalysedUploads()) enqueue(upload.id);
    },
    stop: queue.stop,
  };
}

/**
 * The waveform's bytes: BBC audiowaveform JSON with its keys in a fixed order, `version` first, so
 * the same peaks always make the same CID and a peer can tell a waveform blob by its first bytes.
 */
export function waveformJson(w: Waveform): string {
  return JSON.stringify({
    version: w.version,
    channels: w.channels,
    sample_rate: w.sample_rate,
    samples_per_pixel: w.samples_per_pixel,
    bits: w.bits,
    length: w.length,
    data: w.data,
  });
}
