import { AsixError } from "../errors";
import { bytesToHex, randomBytes, utf8Bytes } from "../eth/bytes";
import { isNodeStream, openNodeStream, openPath, type OpenedFile } from "../platform/files";
import type { MultipartSource } from "../platform/sendTypes";

/**
 * What can be uploaded: a `File` or `Blob`, bytes in memory, a web `ReadableStream`, or (in Node
 * only) a file path or a Node readable stream.
 */
export type FileInput = string | Uint8Array | Blob | ReadableStream<Uint8Array> | NodeJS.ReadableStream;

/** The multipart body of an upload (see ../platform/sendTypes), with the file's size when known. */
export interface MultipartBody extends MultipartSource {
  fileSize: number | undefined;
}

/** Resolve a file input to a byte stream, its size when known, and a name, failing early with a clear message. */
export async function openFileInput(file: FileInput, filename?: string): Promise<OpenedFile> {
  if (typeof file === "string") return openPath(file, filename);
  if (file instanceof Uint8Array) {
    const bytes = file;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    return { stream, size: bytes.byteLength, name: filename ?? "upload", blob: () => new Blob([bytes]), close: () => {} };
  }
  if (typeof Blob !== "undefined" && file instanceof Blob) {
    const name = filename ?? ((file as { name?: unknown }).name && typeof (file as { name?: unknown }).name === "string" ? (file as File).name : "upload");
    return { stream: file.stream() as ReadableStream<Uint8Array>, size: file.size, name, blob: () => file, close: () => {} };
  }
  if (typeof ReadableStream !== "undefined" && file instanceof ReadableStream) {
    return { stream: file, name: filename ?? "upload", close: () => void file.cancel().catch(() => {}) };
  }
  if (isNodeStream(file)) return openNodeStream(file, filename);
  throw new AsixError("INVALID_INPUT", "file must be a File, Blob, Uint8Array, ReadableStream or (in Node) a path or readable stream");
}

/**
 * A multipart/form-data body: text fields, then one file part. As a stream it is read lazily, so a
 * large file is never held in memory; as a Blob (browsers) it is composed around the file's own Blob.
 */
export function multipartBody(
  fields: Record<string, string>,
  fileField: string,
  file: Pick<OpenedFile, "stream" | "size" | "name" | "blob"> & { contentType?: string },
): MultipartBody {
  const boundary = `----asix${bytesToHex(randomBytes(12)).slice(2)}`;
  const safeName = file.name.replace(/["\r\n]/g, "_");
  let head = "";
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="${safeName}"\r\n`;
  head += `Content-Type: ${file.contentType ?? "application/octet-stream"}\r\n\r\n`;
  const headBytes = utf8Bytes(head);
  const tailBytes = utf8Bytes(`\r\n--${boundary}--\r\n`);
  const contentType = `multipart/form-data; boundary=${boundary}`;
  const stream = (onBytes?: (sent: number) => void): ReadableStream<Uint8Array> => {
    const reader = file.stream.getReader();
    let stage: "head" | "file" | "done" = "head";
    let sent = 0;
    const emit = (controller: ReadableStreamDefaultController<Uint8Array>, chunk: Uint8Array) => {
      sent += chunk.byteLength;
      controller.enqueue(chunk);
      onBytes?.(sent);
    };
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (stage === "head") {
          stage = "file";
          return emit(controller, headBytes);
        }
        if (stage === "file") {
          const next = await reader.read();
          if (!next.done) return emit(controller, typeof next.value === "string" ? utf8Bytes(next.value) : next.value);
          stage = "done";
          emit(controller, tailBytes);
          return controller.close();
        }
        controller.close();
      },
      async cancel(reason) {
        await reader.cancel(reason).catch(() => {});
      },
    });
  };
  return {
    contentType,
    length: file.size === undefined ? undefined : headBytes.length + file.size + tailBytes.length,
    fileSize: file.size,
    stream,
    blob: async () => {
      const fileBlob = file.blob?.();
      if (fileBlob) return new Blob([headBytes, fileBlob, tailBytes], { type: contentType });
      return new Response(stream()).blob();
    },
  };
}
