/**
 * The content node's upload record as `POST /uploads` and `GET /uploads/:id` answer it
 * (PROTOCOL.md §5): a wire format, snake_case. The node builds it and the SDK reads it from here;
 * the SDK hands its callers the camelCase `Upload` (sdk/content/upload).
 */

export type UploadTemplate = "audio" | "img_square" | "img_backdrop";
/** Where an upload stands: received, processing, done or failed. */
export type UploadStatus = "new" | "busy" | "done" | "error";

/** Where an upload's music analysis stands: "" when there is none to do. */
export type AudioAnalysisStatus = "" | "new" | "busy" | "done" | "error";

/**
 * EBU R128 loudness of a track, with its ReplayGain 2.0 gain (reference level −18 LUFS). The names
 * are issue #19's, on the upload record and on discovery tracks alike (the reference has none).
 */
export interface AudioLoudness {
  /** integrated loudness, LUFS */
  integrated: number;
  /** loudness range, LU */
  range: number;
  /** true peak, dBTP */
  truePeak: number;
  /** ReplayGain 2.0 track gain, dB */
  trackGain: number;
}

/** What music analysis found; a part that failed is null (and counted in the error count). */
export interface AudioAnalysisResults {
  /** tempo in beats per minute (the reference's field) */
  bpm: number | null;
  /** musical key, e.g. "A minor" (the reference's field) */
  key: string | null;
  /** loudness */
  loudness: AudioLoudness | null;
  /** CID of the waveform peaks blob (BBC audiowaveform JSON, served by /ipfs/:cid) */
  waveform_cid: string | null;
}

/** A content node's upload, as its /uploads routes answer it (snake_case wire model). */
export interface UploadRecord {
  /** the upload's id on this node */
  id: string;
  /** new, busy, done or error */
  status: UploadStatus;
  /** how the node processes it */
  template: UploadTemplate;
  /** the uploaded file's CID */
  orig_file_cid: string;
  /** the file name as uploaded */
  orig_filename: string;
  /** rendition name → CID (e.g. "320" for audio, "150x150" for a square image) */
  results: Record<string, string>;
  /** ffprobe's answer for audio; {} otherwise */
  probe:
    | {
        /** ffprobe's `format` section */
        format: {
          /** the audio's length in seconds, as a decimal string */
          duration?: string;
          /** the container format detected */
          format_name?: string;
          /** the uploaded file's size in bytes, as a decimal string */
          size?: string;
        };
      }
    | Record<string, never>;
  /** 0..1 */
  transcode_progress: number;
  /** why processing failed (status error) */
  error?: string;
  /** who uploaded: the request signer, else the X-User-Wallet-Addr header, else "" */
  user_wallet: string;
  /**
   * Where music analysis stands (the reference's field): "" when there is none to do (images, or
   * audio not transcoded yet), then new → busy → done, or error when a part failed.
   */
  audio_analysis_status: AudioAnalysisStatus;
  /** tempo, key, loudness and the waveform's CID, as far as analysis got; null until it ran (the reference's field) */
  audio_analysis_results: AudioAnalysisResults | null;
  /** failed analysis parts and interrupted runs (the reference's field) */
  audio_analysis_error_count: number;
  /** the last analysis failure, when there was one (the reference's field) */
  audio_analysis_error?: string;
  /** ISO 8601 */
  created_at: string;
  /** ISO 8601 */
  updated_at: string;
}
