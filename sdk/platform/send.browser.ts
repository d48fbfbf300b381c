import { AsixError, errorFromResponse } from "../errors";
import type { HttpClient } from "../http";
import type { MultipartUpload } from "./sendTypes";

/** The part of XMLHttpRequest used here (the SDK compiles without the DOM library). */
interface Xhr {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  timeout: number;
  readonly status: number;
  readonly responseText: string;
  getResponseHeader(name: string): string | null;
  upload: { onprogress: ((e: { loaded: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  ontimeout: (() => void) | null;
  onabort: (() => void) | null;
  abort(): void;
  send(body: Blob): void;
}

/**
 * POST a multipart upload, in browsers: XMLHttpRequest with a Blob body. Browsers send a streamed
 * fetch body only over HTTP/2 (Chromium fails it on HTTP/1.1 with ERR_ALPN_NEGOTIATION_FAILED), and
 * fetch reports no upload progress; XHR's upload.onprogress gives the progress bar its bytes. A Blob
 * made of the File and the multipart framing is composed by reference, so nothing is copied.
 */
export async function sendMultipart<T>(_client: HttpClient, upload: MultipartUpload, context: string): Promise<T> {
  const { url, headers, signal, timeoutMs } = upload;
  if (signal?.aborted) throw new AsixError("ABORTED", `${context}: aborted`, { cause: signal.reason });
  const blob = await upload.body.blob();
  return new Promise<T>((resolve, reject) => {
    const xhr = new (globalThis as unknown as { XMLHttpRequest: new () => Xhr }).XMLHttpRequest();
    xhr.open("POST", url);
    for (const [name, value] of Object.entries(headers)) {
      // The browser sets the length itself and refuses the header.
      if (name.toLowerCase() !== "content-length") xhr.setRequestHeader(name, value);
    }
    xhr.setRequestHeader("accept", "application/json");
    if (timeoutMs) xhr.timeout = timeoutMs;
    xhr.upload.onprogress = (e) => upload.onBytes?.(e.loaded);
    const onAbort = () => xhr.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);
    xhr.onload = () => {
      done();
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch (cause) {
        if (xhr.status >= 200 && xhr.status < 300) {
          return reject(new AsixError("NODE_UNAVAILABLE", `${context}: ${url} answered HTTP ${xhr.status} with a body that is not JSON`, { cause }));
        }
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(errorFromResponse(xhr.status, body, context, xhr.getResponseHeader("retry-after")));
    };
    xhr.onerror = () => {
      done();
      reject(new AsixError("NODE_UNAVAILABLE", `${context}: cannot reach ${url}`));
    };
    xhr.ontimeout = () => {
      done();
      reject(new AsixError("TIMEOUT", `${context}: ${url} timed out`));
    };
    xhr.onabort = () => {
      done();
      reject(new AsixError("ABORTED", `${context}: aborted`, { cause: signal?.reason }));
    };
    xhr.send(blob);
  });
}
