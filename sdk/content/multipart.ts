import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { AsixError } from "../errors";

/** What can be uploaded: a file path, bytes in memory, or a readable stream (with a name). */
export type FileInput = string | Uint8Array | NodeJS.ReadableStream | Readable;

export interface MultipartBody {
  /** The body as fetch takes it; pulled lazily, so `onBytes` follows what fetch has sent. */
  stream: ReadableStream<Uint8Array>;
  contentType: string;
  /** Total bytes, when the file size is known (path or bytes); otherwise undefined (chunked). */
  length: number | undefined;
  fileSize: number | undefined;
}

/** Resolve a file input to a byte source and its size, failing early with a clear message. */
export async function openFileInput(file: FileInput, filename?: string): Promise<{ source: Readable; size?: number; name: string }> {
  if (typeof file === "string") {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      throw new AsixError("INVALID_INPUT", `file not found: ${file}`);
    }
    if (!stat.isFile()) throw new AsixError("INVALID_INPUT", `not a file: ${file}`);
    return { source: fs.createReadStream(file, { highWaterMark: 1 << 20 }), size: stat.size, name: filename ?? path.basename(file) };
  }
  if (file instanceof Uint8Array) {
    return { source: Readable.from([Buffer.from(file.buffer, file.byteOffset, file.byteLength)]), size: file.byteLength, name: filename ?? "upload" };
  }
  if (file && typeof (file as Readable).pipe === "function") {
    const source = file instanceof Readable ? file : new Readable().wrap(file);
    return { source, name: filename ?? "upload" };
  }
  throw new AsixError("INVALID_INPUT", "file must be a path, a Uint8Array or a readable stream");
}

/**
 * A streaming multipart/form-data body: text fields, then one file part, read lazily so that a
 * large file is never held in memory.
 */
export function multipartBody(
  fields: Record<string, string>,
  fileField: string,
  file: { source: Readable; size?: number; name: string; contentType?: string },
  onBytes?: (sent: number) => void,
): MultipartBody {
  const boundary = `----asix${randomBytes(12).toString("hex")}`;
  const safeName = file.name.replace(/["\r\n]/g, "_");
  let head = "";
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="${safeName}"\r\n`;
  head += `Content-Type: ${file.contentType ?? "application/octet-stream"}\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const headBytes = Buffer.from(head);
  const tailBytes = Buffer.from(tail);
  async function* parts(): AsyncGenerator<Uint8Array> {
    yield headBytes;
    for await (const chunk of file.source) yield typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Uint8Array);
    yield tailBytes;
  }
  const iterator = parts();
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) return controller.close();
      sent += next.value.byteLength;
      controller.enqueue(next.value);
      onBytes?.(sent);
    },
    async cancel() {
      file.source.destroy();
      await iterator.return(undefined);
    },
  });
  return {
    stream,
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: file.size === undefined ? undefined : headBytes.length + file.size + tailBytes.length,
    fileSize: file.size,
  };
}
