import fs from "node:fs";
import { cidOfStream } from "../../../sdk/cid";
import { isAsixError } from "../../../sdk/errors";
import { PREVIEW_SECONDS, transcodeAudio } from "./audio";
import type { NodeContext } from "./context";
import { CONTENT_TYPE_OF, sniffAudioFile } from "./sniff";
import { createJobQueue } from "./jobQueue";

/** A job that failed this many times is marked error instead of retried. */
export const MAX_TRANSCODE_ATTEMPTS = 3;

/** Result keys of an audio upload (PROTOCOL.md §5). */
export const previewKey = (start: number) => `320_preview|${start}`;

/**
 * The transcode queue: at most `transcodeWorkers` ffmpeg processes at once, FIFO. State lives in the
 * uploads table, so a job that was busy when the node stopped is simply run again on the next start.
 */
export function createTranscoder(ctx: NodeContext) {
  const { settings, db, store } = ctx;
  const queue = createJobQueue({ name: "transcode", workers: () => settings.transcodeWorkers, log: settings.log, run: runJob });
  const enqueue = queue.enqueue;

  async function runJob(id: string, signal: AbortSignal): Promise<void> {
    const job = db.getJob(id);
    if (!job || job.upload.status === "done" || job.upload.status === "error") return;
    const { upload, previewStart } = job;
    const attempts = job.attempts + 1;
    if (attempts > MAX_TRANSCODE_ATTEMPTS) {
      db.updateUpload(id, { status: "error", error: `transcode failed ${MAX_TRANSCODE_ATTEMPTS} times` });
      return;
    }
    db.updateUpload(id, { status: "busy", attempts, transcode_progress: 0 });
    const orig = store.get(upload.orig_file_cid);
    if (!orig) {
      db.updateUpload(id, { status: "error", error: "the original file is no longer on this node" });
      return;
    }
    // The kind decides the demuxer ffmpeg is forced to use; it comes from the stored bytes themselves.
    const kind = await sniffAudioFile(orig.path);
    if (!kind) {
      db.updateUpload(id, { status: "error", error: "the original file is not audio of a supported kind" });
      return;
    }
    const output = store.tmpPath(".mp3");
    const previewOutput = store.tmpPath(".preview.mp3");
    const duration = Number(upload.probe.format?.duration ?? 0);
    let lastWrite = 0;
    const started = performance.now();
    try {
      await transcodeAudio({
        input: orig.path,
        kind,
        output,
        previewOutput,
        previewStart,
        duration,
        signal,
        onProgress: (fraction) => {
          const now = Date.now();
          if (now - lastWrite < 200) return; // keep SQLite writes few
          lastWrite = now;
          db.updateUpload(id, { transcode_progress: Math.round(fraction * 1000) / 1000 });
        },
      });
      const full = await adopt(output);
      const preview = await adopt(previewOutput);
      // A new preview start re-transcodes to the same 320 kbps audio: an analysis made (or running) stands.
      const analyse = upload.audio_analysis_status === "" || upload.audio_analysis_status === "new";
      db.updateUpload(id, {
        status: "done",
        transcode_progress: 1,
        results: { "320": full, [previewKey(previewStart)]: preview },
        ...(analyse ? { audio_analysis_status: "new" as const } : {}),
      });
      settings.log("transcoded", { id, full, preview, seconds: duration, elapsedSeconds: (performance.now() - started) / 1000 });
      ctx.replicate([upload.orig_file_cid, full, preview]);
      if (analyse) ctx.enqueueAnalysis(id);
    } catch (err) {
      await Promise.all([store.discard(output), store.discard(previewOutput)]);
      if (signal.aborted) return; // stopping: stays busy, resumed on the next start
      const message = isAsixError(err) ? err.message : String(err);
      settings.log("transcode failed", { id, attempts, error: message });
      if (isAsixError(err, "UPLOAD_FAILED") || attempts >= MAX_TRANSCODE_ATTEMPTS) {
        db.updateUpload(id, { status: "error", error: message });
      } else {
        db.updateUpload(id, { status: "new" });
        enqueue(id);
      }
    }
  }

  /** Hash a finished output file and move it into the blob store under its CID. */
  async function adopt(file: string): Promise<string> {
    const cid = await cidOfStream(fs.createReadStream(file, { highWaterMark: 1 << 20 }));
    const { size } = await fs.promises.stat(file);
    await store.commit(file, cid, size, CONTENT_TYPE_OF.mp3);
    return cid;
  }

  return {
    enqueue,
    /** Queue every upload left new or busy by a previous run. */
    resume(): void {
      for (const upload of db.unfinishedUploads()) if (upload.template === "audio") enqueue(upload.id);
    },
    stop: queue.stop,
  };
}

export { PREVIEW_SECONDS };
