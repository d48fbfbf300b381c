import { AsixError } from "../errors";
import { encodeHashId } from "../hashids";
import type { AsixClient } from "../client";
import { unclaimedId } from "../reads";
import { manageEntity, type WriteReceipt } from "../writes";
import { assertApplied, resolveUserId } from "../users/currentUser";
import { uploadFile, type UploadProgress } from "../content/upload";
import type { FileInput } from "../content/multipart";

/** A track's metadata; only the title is required. */
export interface TrackMetadata {
  /** the track's title; required, not blank */
  title: string;
  /** e.g. Electronic */
  genre?: string;
  /** e.g. Peaceful */
  mood?: string;
  /** comma-separated, as the reference protocol stores them */
  tags?: string;
  /** ≤ 2,500 characters */
  description?: string;
  /** ISO date */
  releaseDate?: string;
  /** whether listeners may download the original (default false) */
  isDownloadable?: boolean;
  /** where the 30 s preview starts, in seconds (default 0) */
  previewStartSeconds?: number;
}

export interface UploadTrackProgress {
  /** which step: sending the audio, the node's transcode, the cover, the chain write */
  phase: "upload" | "transcode" | "cover" | "write";
  /** 0..1 within the phase */
  progress: number;
  /** bytes sent so far (upload and cover phases) */
  loaded?: number;
  /** total bytes, when known */
  total?: number;
}

/** The audio, its metadata and the optional cover and progress callback. */
export interface UploadTrackParameters {
  /** audio: a file path, bytes, or a readable stream */
  file: FileInput;
  /** recorded as orig_filename; defaults to the path's base name */
  filename?: string;
  /** the track's metadata */
  metadata: TrackMetadata;
  /** optional cover art (path, bytes or stream), uploaded as img_square */
  cover?: FileInput;
  /** called as each phase advances: upload, transcode, cover, write */
  onProgress?: (progress: UploadTrackProgress) => void;
}

export interface UploadTrackResult extends WriteReceipt {
  /** the new track's hashid */
  trackId: string;
  /** the 320 kbps rendition's CID (the Track's track_cid on the wire) */
  trackCid: string;
  /** "" when the node made no preview */
  previewCid: string;
  /** the original file's CID */
  origFileCid: string;
  /** seconds */
  duration: number;
  /** the cover art's upload id, if a cover was given (the Track's cover_art_sizes) */
  coverArtUploadId?: string;
}

/**
 * Upload audio (and optional cover art) to a content node, wait for the transcode, then write the
 * Track through EntityManager and wait until the discovery node shows it.
 */
export async function uploadTrack(client: AsixClient, params: UploadTrackParameters): Promise<UploadTrackResult> {
  const meta = params?.metadata;
  if (!meta || typeof meta.title !== "string" || meta.title.trim() === "") {
    throw new AsixError("INVALID_INPUT", "metadata.title is required");
  }
  if (meta.description !== undefined && meta.description.length > 2500) {
    throw new AsixError("INVALID_INPUT", "metadata.description must be at most 2,500 characters");
  }
  const ownerId = await resolveUserId(client, "tracks.upload");
  const progress = (p: UploadProgress, phase: UploadTrackProgress["phase"] = p.phase) => params.onProgress?.({ ...p, phase });

  const audio = await uploadFile(client, {
    file: params.file,
    filename: params.filename,
    template: "audio",
    previewStartSeconds: meta.previewStartSeconds,
    onProgress: (p) => progress(p),
  });
  let coverId: string | undefined;
  if (params.cover !== undefined) {
    const cover = await uploadFile(client, { file: params.cover, template: "img_square", onProgress: (p) => progress(p, "cover") });
    coverId = cover.id;
  }
  const trackCid = audio.results["320"];
  if (!trackCid) throw new AsixError("UPLOAD_FAILED", "the content node produced no 320 kbps rendition");
  const previewKey = Object.keys(audio.results).find((k) => k.startsWith("320_preview"));
  const previewCid = previewKey ? audio.results[previewKey] : "";
  const duration = audio.duration ?? 0;

  params.onProgress?.({ phase: "write", progress: 0 });
  const trackId = await unclaimedId(client, "tracks");
  const receipt = await manageEntity(client, {
    userId: ownerId,
    entityType: "Track",
    entityId: trackId,
    action: "Create",
    data: {
      owner_id: ownerId,
      title: meta.title,
      genre: meta.genre ?? "",
      mood: meta.mood ?? "",
      tags: meta.tags ?? "",
      description: meta.description ?? "",
      track_cid: trackCid,
      preview_cid: previewCid,
      orig_file_cid: audio.origFileCid,
      orig_filename: audio.origFilename,
      audio_upload_id: audio.id,
      cover_art_sizes: coverId,
      duration: Math.round(duration),
      release_date: meta.releaseDate ?? new Date().toISOString(),
      is_downloadable: meta.isDownloadable ?? false,
    },
  });
  await assertApplied(client, receipt);
  params.onProgress?.({ phase: "write", progress: 1 });
  return {
    ...receipt,
    trackId: encodeHashId(trackId),
    trackCid,
    previewCid,
    origFileCid: audio.origFileCid,
    duration,
    coverArtUploadId: coverId,
  };
}
