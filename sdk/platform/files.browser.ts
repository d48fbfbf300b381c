import { AsixError } from "../errors";
import type { OpenedFile } from "./files";

/** Browsers have no file paths or Node streams: a File, Blob, bytes or a web ReadableStream instead. */
export async function openPath(file: string): Promise<OpenedFile> {
  throw new AsixError("INVALID_INPUT", `a file path (${file}) works only in Node; in a browser pass a File, Blob, Uint8Array or ReadableStream`);
}

export function isNodeStream(_file: unknown): _file is NodeJS.ReadableStream {
  return false;
}

export function openNodeStream(): OpenedFile {
  throw new AsixError("INVALID_INPUT", "Node streams work only in Node");
}
