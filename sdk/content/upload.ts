import { AsixError } from "../errors";
import { requestJson } from "../http";
import { signRequestHeaders } from "../signatures";
import { requireWallet, sleep, type AsixClient } from "../client";
import { multipartBody, openFileInput, type FileInput } from "./multipart";
import { sendMultipart } from "../platform/send";
import { orderContentNodes } from "./nodes";
import { isNodeFailure } from "../selection";
import { emitTo } from "../selection/events";
import { now } from "../selection/probe";
import { camelize, type Camelized } from "../casing";
import type { AudioAnalysisResults, AudioAnalysisStatus, UploadRecord, UploadStatus, UploadTemplate } from "../protocol/upload";

export type { UploadTemplate, UploadStatus };

type OpenedFile = Awaited<ReturnType<typeof openFileInput>>;

/** A content node upload as the SDK returns it: the wire's UploadRecord (sdk/protocol/upload) in camelCase. */
export interface Upload {
  /** the upload's id on its content node */
  id: string;
  /** new, busy, done or error */
  status: UploadStatus;
  /** how the node processes it */
  template: UploadTemplate;
  /** the original file's CID */
  origFileCid: string;
  /** the file name as uploaded */
  origFilename: string;
  /** rendition name → CID (e.g. "320" for audio, "150x150" for a square image) */
  results: Record<string, string>;
  /** audio: seconds, from the node's probe; undefined for images or before the probe */
  duration?: number;
  /** 0..1 */
  transcodeProgress: number;
  /** why processing failed (status error) */
  error?: string;
  /** the uploader: the request's signer, or the X-User-Wallet-Addr an unsigned client named ("" if none) */
  userWallet: string;
  /** where music analysis stands: "" when there is none to do, then new, busy, done or error */
  audioAnalysisStatus: AudioAnalysisStatus;
  /** tempo, key, loudness and waveform CID once analysis ran; null until then; a failed part is null */
  audioAnalysisResults: Camelized<AudioAnalysisResults> | null;
  /** failed analysis parts and interrupted runs */
  audioAnalysisErrorCount: number;
  /** the content node that holds it */
  contentNode: string;
}

function toUpload(record: UploadRecord, contentNode: string): Upload {
  const seconds = Number((record.probe as { format?: { duration?: string } } | undefined)?.format?.duration);
  return {
    id: record.id,
    status: record.status,
    template: record.template,
    origFileCid: record.orig_file_cid,
    origFilename: record.orig_filename,
    results: record.results ?? {},
    ...(Number.isFinite(seconds) ? { duration: seconds } : {}),
    transcodeProgress: Number(record.transcode_progress) || 0,
    ...(record.error !== undefined ? { error: record.error } : {}),
    userWallet: record.user_wallet ?? "",
    audioAnalysisStatus: record.audio_analysis_status ?? "",
    audioAnalysisResults: record.audio_analysis_results ? camelize(record.audio_analysis_results) : null,
    audioAnalysisErrorCount: Number(record.audio_analysis_error_count) || 0,
    contentNode,
  };
}

/** How far an upload is: sending the bytes, then the node's processing. */
export interface UploadProgress {
  /** sending the bytes, then the node's processing */
  phase: "upload" | "transcode";
  /** 0..1 within the phase */
  progress: number;
  /** bytes sent so far (upload phase) */
  loaded?: number;
  /** total bytes, when known (upload phase) */
  total?: number;
}

/** The file, how to process it, and where and how long to wait. */
export interface UploadFileParameters {
  /** a file path, bytes or a readable stream */
  file: FileInput;
  /** File name to record; defaults to the path's base name. */
  filename?: string;
  /** audio, img_square or img_backdrop */
  template: UploadTemplate;
  /** Audio only: where the 30 s preview starts. */
  previewStartSeconds?: number;
  /** A content node URL; by default one from the network. */
  contentNode?: string;
  /** called as the bytes go out, then as the node processes them */
  onProgress?: (progress: UploadProgress) => void;
  /** Wait until transcoding or resizing is done (default true). */
  waitUntilDone?: boolean;
  /** Audio: also wait until the node's music analysis finished (done or error), so the result has it (default false). */
  waitForAnalysis?: boolean;
  /** Default 10 minutes. */
  processTimeoutMs?: number;
  /** Abort the upload (and the wait for processing). */
  signal?: AbortSignal;
  /** Bound the upload request itself (default: none). */
  timeoutMs?: number;
}

/**
 * Upload a file to a content node as the wallet's user, then wait for it to be processed. Nodes are
 * tried in rendezvous order of the uploader's address, healthy ones only; when one fails (unreachable,
 * 5xx, cut off mid-upload or mid-transcode) the file goes to the next, if it can be read again
 * (a path, bytes or a Blob; a stream is consumed by the first try).
 */
export async function uploadFile(client: AsixClient, params: UploadFileParameters): Promise<Upload> {
  const wallet = requireWallet(client, "upload");
  const deadline = Date.now() + (params.processTimeoutMs ?? 10 * 60_000);
  let file = await openFileInput(params.file, params.filename);
  if (file.size === 0) {
    file.close();
    throw new AsixError("INVALID_INPUT", `${file.name} is empty`);
  }
  const started = now();
  const nodes = params.contentNode ? [params.contentNode.replace(/\/+$/, "")] : await orderContentNodes(client, await wallet.getAddress());
  for (let i = 0; ; i++) {
    const node = nodes[i];
    emitTo(client.selection.onEvent, { type: "select", service: "content", node, reason: i === 0 ? "rendezvous" : "failover", ms: Math.round(now() - started) });
    const attemptStarted = now();
    try {
      return await uploadTo(client, node, file, params, deadline);
    } catch (e) {
      const last = i + 1 >= nodes.length || !isReadableAgain(params.file) || Date.now() > deadline;
      if (!isNodeFailure(e) || last) throw e;
      client.selection.content.forget(node);
      emitTo(client.selection.onEvent, { type: "failover", service: "content", node, reason: (e as AsixError).code, ms: Math.round(now() - attemptStarted) });
      file.close();
      file = await openFileInput(params.file, params.filename);
    }
  }
}

/** Inputs that can be read from the start again for another node. */
function isReadableAgain(input: FileInput): boolean {
  return typeof input === "string" || input instanceof Uint8Array || (typeof Blob !== "undefined" && input instanceof Blob);
}

async function uploadTo(client: AsixClient, node: string, file: OpenedFile, params: UploadFileParameters, deadline: number): Promise<Upload> {
  const wallet = requireWallet(client, "upload");
  const fields: Record<string, string> = { template: params.template };
  if (params.previewStartSeconds !== undefined) fields.previewStartSeconds = String(params.previewStartSeconds);
  const body = multipartBody(fields, "files", file);
  const headers: Record<string, string> = { ...(await signRequestHeaders(wallet)), "content-type": body.contentType };
  // No timeout by default: a large file takes as long as the link needs.
  const uploads = await sendMultipart<UploadRecord[]>(
    client,
    {
      url: `${node}/uploads`,
      body,
      headers,
      onBytes: (loaded) => params.onProgress?.({ phase: "upload", loaded, total: body.length, progress: body.length ? Math.min(1, loaded / body.length) : 0 }),
      signal: params.signal,
      timeoutMs: params.timeoutMs ?? 0,
    },
    `upload ${file.name}`,
  );
  const upload = Array.isArray(uploads) ? uploads[0] : undefined;
  if (!upload?.id) throw new AsixError("UPLOAD_FAILED", `content node ${node} answered no upload`);
  params.onProgress?.({ phase: "upload", progress: 1, loaded: body.length, total: body.length });
  if (params.waitUntilDone === false) return toUpload(upload, node);
  return toUpload(await waitForUpload(client, node, upload, params, deadline), node);
}

async function waitForUpload(client: AsixClient, node: string, first: UploadRecord, params: UploadFileParameters, deadline: number): Promise<UploadRecord> {
  let upload = first;
  for (;;) {
    // "" once done: that node does not analyse; nothing to wait for
    const analysing = params.waitForAnalysis === true && (upload.audio_analysis_status === "new" || upload.audio_analysis_status === "busy");
    if (upload.status === "done" && !analysing) {
      params.onProgress?.({ phase: "transcode", progress: 1 });
      return upload;
    }
    if (upload.status === "error") {
      throw new AsixError("UPLOAD_FAILED", `content node could not process ${upload.orig_filename}: ${upload.error ?? "unknown error"}`, {
        details: { upload },
      });
    }
    if (upload.status !== "done") params.onProgress?.({ phase: "transcode", progress: Number(upload.transcode_progress) || 0 });
    if (Date.now() > deadline) throw new AsixError("TIMEOUT", `upload ${upload.id} was not processed in time`, { details: { upload } });
    await sleep(Math.max(client.pollIntervalMs, 100));
    upload = await requestJson<UploadRecord>(client, { url: `${node}/uploads/${encodeURIComponent(upload.id)}`, signal: params.signal }, "upload status");
  }
}
