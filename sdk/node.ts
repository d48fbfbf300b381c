/**
 * Node-only helpers (`@asix/sdk/node`): files on disk. Kept out of the SDK's entry so that a browser
 * bundle never sees `node:fs`; the entry's own types (web streams, Blob, bytes) work in both.
 */
import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import { AsixError } from "./errors";

export interface SaveStreamOptions {
  /** called with the bytes written so far */
  onProgress?: (bytesWritten: number) => void;
}

/**
 * Write a web stream (e.g. `tracks.stream()`'s) to a file: into `<file>.part`, renamed once
 * complete, so an interrupted stream never leaves a file that looks whole. Returns the bytes written.
 */
export async function saveStream(stream: ReadableStream<Uint8Array>, file: string, options: SaveStreamOptions = {}): Promise<number> {
  const part = `${file}.part`;
  let bytes = 0;
  const source = Readable.fromWeb(stream as NodeWebReadableStream<Uint8Array>);
  source.on("data", (chunk: Uint8Array) => {
    bytes += chunk.byteLength;
    options.onProgress?.(bytes);
  });
  try {
    await pipeline(source, fs.createWriteStream(part));
  } catch (cause) {
    fs.rmSync(part, { force: true });
    if (isAsixError(cause)) throw cause;
    throw new AsixError("NODE_UNAVAILABLE", `stream interrupted after ${bytes} bytes: ${(cause as Error).message}`, { cause });
  }
  fs.renameSync(part, file);
  return bytes;
}

function isAsixError(e: unknown): e is AsixError {
  return e instanceof AsixError;
}

/** A Node Readable over a web stream, for code that pipes Node streams (e.g. to stdout). */
export function toNodeReadable(stream: ReadableStream<Uint8Array>): Readable {
  return Readable.fromWeb(stream as NodeWebReadableStream<Uint8Array>);
}
