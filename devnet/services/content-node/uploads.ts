import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type { Request, RequestHandler } from "express";
import { AsixError } from "../../../sdk/errors";
import { cidOfStream } from "../../../sdk/cid";
import fs from "node:fs";
import { checkPlayable, loadProbe, probeAudio, probeGrowing, type AudioProbe } from "./audio";
import type { NodeContext } from "./context";
import type { Upload, UploadTemplate } from "./db";
import type { IngestedFile } from "./blobStore";
import { IMAGE_VARIANTS, renderVariant } from "./images";
import { CONTENT_TYPE_OF, sniffAudio, sniffImage } from "./sniff";
import { MultipartParser, boundaryOf, type FilePartInfo } from "./multipart";
import { uploadCallerOf } from "./uploadAuth";
import { checkAudioDuration } from "./uploadLimits";

/**
 * `POST /uploads` (multipart: `template`, optional `previewStartSeconds`, one file part `files`),
 * `GET /uploads/:id` and `POST /uploads/:id` (a new preview start, by the uploader only). Who the
 * caller is comes from the route's middleware (uploadAuth.ts). The file streams to a temp file while its CID is computed; it becomes a blob
 * only after its bytes were sniffed and probed. Audio is then queued for transcoding; images are
 * resized before the answer, so a bad image is refused with nothing stored.
 */
const TEMPLATES: readonly UploadTemplate[] = ["audio", "img_square", "img_backdrop"];
export const UPLOAD_ID = /^[0-9a-z]{16,64}$/;

/** Durations of an upload's steps, as a `Server-Timing` header (`receive;dur=412.3, probe;dur=…`). */
class ServerTiming {
  private last = performance.now();
  private readonly steps: string[] = [];
  mark(step: string, desc?: string): void {
    const now = performance.now();
    this.steps.push(`${step};dur=${(now - this.last).toFixed(1)}${desc ? `;desc="${desc}"` : ""}`);
    this.last = now;
  }
  header(): string {
    return this.steps.join(", ");
  }
}

const newUploadId = () => Date.now().toString(36) + randomBytes(10).toString("hex");

export function postUploads(ctx: NodeContext): RequestHandler {
  return async (req, res) => {
    const { wallet } = uploadCallerOf(res);
    if (!/^multipart\/form-data/i.test(req.headers["content-type"] ?? "")) {
      throw new AsixError("INVALID_INPUT", "POST /uploads expects multipart/form-data");
    }
    // Refused before the end of the body: the error handler drains the rest so the client hears the answer.
    const timing = new ServerTiming();
    loadProbe().catch(() => undefined); // loads beside the receive; a failure shows in the probe
    const { file, fields, filename, early } = await receiveMultipart(ctx, req);
    timing.mark("receive"); // body parsed, written to the temp file and hashed (overlapped)
    try {
      const upload =
        fields.template === "audio"
          ? await acceptAudio(ctx, file, filename, wallet, fields.previewStartSeconds, timing, early)
          : await acceptImage(ctx, file, filename, wallet, fields.template);
      // Where the time went, for the bench and for anyone tuning a node (no secrets in it).
      res.set("server-timing", timing.header());
      res.status(200).json([upload]);
    } finally {
      await ctx.store.discard(file.tmpPath); // no-op once committed (renamed away)
    }
  };
}

export function getUpload(ctx: NodeContext): RequestHandler {
  return (req, res) => {
    const id = String(req.params.id);
    if (!UPLOAD_ID.test(id)) throw new AsixError("INVALID_INPUT", "malformed upload id");
    const upload = ctx.db.getUpload(id);
    if (!upload) throw new AsixError("NOT_FOUND", `no upload ${id}`);
    res.json(upload);
  };
}

/**
 * `POST /uploads/:id` (JSON or form `{previewStartSeconds}`): a new preview start for an audio upload,
 * re-transcoded from the stored original. Only the uploader's signature may change an upload.
 */
export function changeUpload(ctx: NodeContext): RequestHandler {
  return (req, res) => {
    const { signer } = uploadCallerOf(res);
    const id = String(req.params.id);
    if (!UPLOAD_ID.test(id)) throw new AsixError("INVALID_INPUT", "malformed upload id");
    const upload = ctx.db.getUpload(id);
    if (!upload) throw new AsixError("NOT_FOUND", `no upload ${id}`);
    if (!signer || upload.user_wallet === "" || signer.toLowerCase() !== upload.user_wallet.toLowerCase()) {
      throw new AsixError("UNAUTHORIZED", "only the uploader's signature may change an upload");
    }
    if (upload.template !== "audio") throw new AsixError("INVALID_INPUT", "only an audio upload has a preview to change");
    if (upload.status !== "done" && upload.status !== "error") throw new AsixError("CONFLICT", `upload ${id} is still being processed`);
    const raw = (req.body as { previewStartSeconds?: unknown } | undefined)?.previewStartSeconds;
    const previewStart = parsePreviewStart(raw === undefined ? undefined : String(raw), Number(upload.probe.format?.duration ?? 0));
    if (previewStart === undefined) throw new AsixError("INVALID_INPUT", "previewStartSeconds is required");
    ctx.db.updateUpload(id, { status: "new", preview_start: previewStart, transcode_progress: 0, attempts: 0 });
    ctx.enqueueTranscode(id);
    res.json(ctx.db.getUpload(id));
  };
}

/** A preview start in seconds within the track, undefined when not given. */
function parsePreviewStart(value: string | undefined, duration: number): number | undefined {
  if (value === undefined || value === "") return undefined;
  const start = Number(value);
  if (!Number.isFinite(start) || start < 0 || start >= duration) {
    throw new AsixError("INVALID_INPUT", `previewStartSeconds must be a number of seconds within the track (0 to ${duration})`);
  }
  return start;
}

interface ParsedUpload {
  file: IngestedFile;
  filename: string;
  fields: { template: UploadTemplate; previewStartSeconds?: string };
  /** the audio probe run while the file arrived, valid if the file has the size it was run for */
  early?: EarlyProbe;
}

interface EarlyProbe {
  size: number;
  probe: Promise<AudioProbe | undefined>;
}

function limitOf(ctx: NodeContext, template: UploadTemplate | undefined): number {
  const { maxAudioBytes, maxImageBytes } = ctx.settings;
  if (template === "audio") return maxAudioBytes;
  if (template) return maxImageBytes;
  return Math.max(maxAudioBytes, maxImageBytes);
}

/** The sniff check for a template (or for either kind while the template is not known yet). */
function checkKind(template: UploadTemplate | undefined, head: Buffer): void {
  if (head.length === 0) throw new AsixError("INVALID_INPUT", "the file is empty");
  const audio = sniffAudio(head);
  const image = sniffImage(head);
  if (template === "audio" && !audio) throw new AsixError("UNSUPPORTED_MEDIA", "not an audio file (mp3, wav, flac, ogg or m4a)");
  if (template && template !== "audio" && !image) throw new AsixError("UNSUPPORTED_MEDIA", "not an image (jpeg, png or webp)");
  if (!template && !audio && !image) throw new AsixError("UNSUPPORTED_MEDIA", "neither audio nor an image");
}

/** Parse the multipart body, streaming the one file part into the blob store's temp dir. */
function receiveMultipart(ctx: NodeContext, req: Request): Promise<ParsedUpload> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let ingesting: Promise<IngestedFile> | undefined;
    let filename = "";
    let failed = false;
    let fileStream: Readable | undefined;
    let early: EarlyProbe | undefined;
    let bb: MultipartParser;
    let boundary: string;
    try {
      boundary = boundaryOf(req.headers["content-type"]);
      bb = new MultipartParser(boundary, { files: 1, fields: 20, fieldSize: 1024, parts: 30 });
    } catch (cause) {
      reject(cause);
      return;
    }

    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      fileStream?.destroy();
      req.unpipe(bb);
      // Wait for the temp file to be removed before answering, so nothing is left once the client hears back.
      (ingesting ?? Promise.resolve()).then(
        (file) => (file ? ctx.store.discard(file.tmpPath) : undefined),
        () => undefined,
      ).finally(() => reject(err));
    };

    bb.on("field", (name: string, value: string) => {
      fields[name] = value;
    });
    bb.on("file", (name: string, stream: Readable, info: FilePartInfo) => {
      if (name !== "files") {
        stream.resume();
        return fail(new AsixError("INVALID_INPUT", `unexpected file part "${name}" (the file part is named "files")`));
      }
      const template = TEMPLATES.includes(fields.template as UploadTemplate) ? (fields.template as UploadTemplate) : undefined;
      filename = info.filename ?? "";
      fileStream = stream;
      // A body cut short errors the file stream at once, maybe before ingest starts reading it: an
      // error with no listener there would be thrown out of the process. Ingest then rethrows it.
      let streamError: Error | undefined;
      stream.on("error", (err) => (streamError ??= err));
      // The file's size if it ends the body, as clients send it (fields first, then the file, then
      // the closing delimiter and a CRLF): what the probe can start on before the last byte.
      const size = Number(req.headers["content-length"]) - info.offset - `\r\n--${boundary}--\r\n`.length;
      ingesting = ctx.store.ingest(stream as AsyncIterable<Buffer>, {
        maxBytes: limitOf(ctx, template),
        checkHead: (head) => checkKind(template, head),
        onOpen:
          template === "audio" && Number.isSafeInteger(size) && size > 0
            ? (growing) => {
                early = { size, probe: probeGrowing({ ...growing, size }) };
                early.probe.catch(() => undefined); // used only if the file has that size; else probed again
              }
            : undefined,
      });
      ingesting.catch((err) =>
        fail(err === streamError ? new AsixError("INVALID_INPUT", `malformed multipart request: ${(err as Error).message}`, { cause: err }) : err),
      );
    });
    // The parser's own refusals are typed already (limits, malformed parts, a body cut short).
    bb.on("error", (err) => fail(err instanceof AsixError ? err : new AsixError("INVALID_INPUT", `malformed multipart request: ${err.message}`, { cause: err })));
    bb.on("close", async () => {
      if (failed) return;
      try {
        if (!ingesting) throw new AsixError("INVALID_INPUT", 'no file part named "files"');
        const file = await ingesting;
        if (failed) return;
        const template = fields.template as UploadTemplate;
        try {
          if (!TEMPLATES.includes(template)) throw new AsixError("INVALID_INPUT", `template must be one of ${TEMPLATES.join(", ")}`);
          // The template may have come after the file: check again with its own limit and kind.
          if (file.size > limitOf(ctx, template)) throw new AsixError("PAYLOAD_TOO_LARGE", `file is larger than the limit of ${limitOf(ctx, template)} bytes`);
          checkKind(template, file.head);
        } catch (err) {
          await ctx.store.discard(file.tmpPath);
          throw err;
        }
        resolve({ file, filename, fields: { template, previewStartSeconds: fields.previewStartSeconds }, early });
      } catch (err) {
        fail(err);
      }
    });
    // A client that goes away mid-upload: stop, and let ingest remove the temp file.
    req.on("close", () => {
      if (!req.complete) fail(new AsixError("INVALID_INPUT", "the client disconnected before the upload finished"));
    });
    req.pipe(bb);
  });
}

async function acceptAudio(
  ctx: NodeContext, file: IngestedFile, filename: string, wallet: string, previewStartSeconds: string | undefined, timing: ServerTiming, early?: EarlyProbe,
): Promise<Upload> {
  // The early probe read these very bytes, with this very size: its answer (or its refusal) stands.
  const earlyProbe = early?.size === file.size ? await early.probe : undefined;
  const probe = earlyProbe ?? (await probeAudio(file.tmpPath));
  timing.mark("probe", earlyProbe ? "while receiving" : "after the last byte");
  checkPlayable(probe);
  checkAudioDuration(ctx, probe.duration);
  const previewStart = parsePreviewStart(previewStartSeconds, probe.duration) ?? 0;
  const kind = sniffAudio(file.head)!;
  await file.durable;
  timing.mark("fsync"); // what is left of the temp file's fsync once the probe is done
  let upload: Upload | undefined;
  await ctx.store.commit(file.tmpPath, file.cid, file.size, CONTENT_TYPE_OF[kind], () => {
    upload = ctx.db.insertUpload({
      id: newUploadId(),
      status: "new",
      template: "audio",
      orig_file_cid: file.cid,
      orig_filename: filename,
      probe: { format: { duration: String(probe.duration), format_name: probe.formatName, size: String(file.size) } },
      user_wallet: wallet,
      preview_start: previewStart,
    });
  });
  timing.mark("commit"); // rename, directory fsync, the blob's and the upload's rows in one durable commit
  if (!upload) throw new AsixError("INTERNAL", "the upload was stored without its row");
  ctx.enqueueTranscode(upload.id);
  return upload;
}

async function acceptImage(ctx: NodeContext, file: IngestedFile, filename: string, wallet: string, template: Exclude<UploadTemplate, "audio">): Promise<Upload> {
  const rendered: { name: string; path: string }[] = [];
  try {
    for (const variant of IMAGE_VARIANTS[template]) {
      const out = ctx.store.tmpPath(".jpg");
      rendered.push({ name: variant.name, path: out });
      await renderVariant(file.tmpPath, variant, out);
    }
    const results: Record<string, string> = {};
    for (const r of rendered) {
      const cid = await cidOfStream(fs.createReadStream(r.path));
      const { size } = await fs.promises.stat(r.path);
      await ctx.store.commit(r.path, cid, size, CONTENT_TYPE_OF.jpeg);
      results[r.name] = cid;
    }
    const kind = sniffImage(file.head)!;
    let upload: Upload | undefined;
    await ctx.store.commit(file.tmpPath, file.cid, file.size, CONTENT_TYPE_OF[kind], () => {
      upload = ctx.db.insertUpload({
        id: newUploadId(),
        status: "done",
        template,
        orig_file_cid: file.cid,
        orig_filename: filename,
        results,
        transcode_progress: 1,
        user_wallet: wallet,
      });
    });
    if (!upload) throw new AsixError("INTERNAL", "the upload was stored without its row");
    ctx.replicate([file.cid, ...Object.values(results)]);
    return upload;
  } finally {
    await Promise.all(rendered.map((r) => ctx.store.discard(r.path)));
  }
}
