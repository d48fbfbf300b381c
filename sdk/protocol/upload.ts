/**
 * The content node's upload record as `POST /uploads` and `GET /uploads/:id` answer it
 * (PROTOCOL.md §5): a wire format, snake_case. The node builds it and the SDK reads it from here;
 * the SDK hands its callers the camelCase `Upload` (sdk/content/upload).
 */

export type UploadTemplate = "audio" | "img_square" | "img_backdrop";
/** Where an upload stands: received, processing, done or failed. */
export type UploadStatus = "new" | "busy" | "done" | "error";

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
  /** BPM, key and loudness once music analysis exists; null until then (the reference's field) */
  audio_analysis_results: {
    /** the music's tempo in beats per minute */
    bpm?: number;
    /** the music's key */
    key?: string;
  } | null;
  /** failed music-analysis attempts (the reference's field) */
  audio_analysis_error_count: number;
  /** ISO 8601 */
  created_at: string;
  /** ISO 8601 */
  updated_at: string;
}
