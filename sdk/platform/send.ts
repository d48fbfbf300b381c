import { requestJson, type HttpClient } from "../http";
import type { MultipartUpload } from "./sendTypes";

/**
 * POST a multipart upload, in Node: fetch with the body streamed (half duplex), so a large file is
 * never held in memory; progress follows what fetch pulls from the body. The browser build maps
 * this module to ./send.browser (package.json "browser").
 */
export function sendMultipart<T>(client: HttpClient, upload: MultipartUpload, context: string): Promise<T> {
  const { body, url, headers, signal, timeoutMs } = upload;
  const withLength = body.length === undefined ? headers : { ...headers, "content-length": String(body.length) };
  return requestJson<T>(client, { method: "POST", url, body: body.stream(upload.onBytes), headers: withLength, redirect: "error", signal, timeoutMs }, context);
}
