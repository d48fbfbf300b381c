import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import { AsixError } from "../errors";

/**
 * Upload inputs only Node has: a file path and a Node stream. The browser build maps this module
 * to ./files.browser (package.json "browser"), so a browser bundle never sees node:fs.
 */
export interface OpenedFile {
  stream: ReadableStream<Uint8Array>;
  size?: number;
  name: string;
  /** The file as a Blob, when it is one already (or bytes): browsers send it without reading it in. */
  blob?: () => Blob;
  /** release the source when the upload stops before reading it */
  close(): void;
}

export async function openPath(file: string, filename?: string): Promise<OpenedFile> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch {
    throw new AsixError("INVALID_INPUT", `file not found: ${file}`);
  }
  if (!stat.isFile()) throw new AsixError("INVALID_INPUT", `not a file: ${file}`);
  const source = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  return { stream: Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>, size: stat.size, name: filename ?? path.basename(file), close: () => source.destroy() };
}

export function isNodeStream(file: unknown): file is NodeJS.ReadableStream {
  return !!file && typeof (file as NodeJS.ReadableStream).pipe === "function" && typeof (file as NodeJS.ReadableStream).on === "function";
}

export function openNodeStream(file: NodeJS.ReadableStream, filename?: string): OpenedFile {
  const source = file instanceof Readable ? file : new Readable().wrap(file);
  return { stream: Readable.toWeb(source) as NodeWebReadableStream<Uint8Array> as unknown as ReadableStream<Uint8Array>, name: filename ?? "upload", close: () => source.destroy() };
}
