import { AsixError, errorFromResponse } from "./errors";

/**
 * The SDK's one HTTP transport: the platform `fetch` (Node 20's undici, or the browser's), so the
 * SDK carries no HTTP library and runs unchanged in both. Every request gets a timeout and the
 * caller's AbortSignal; failures come back as AsixError with a stable code.
 */

/** What every public SDK method accepts to cancel or bound a call. */
export interface CallOptions {
  /** Abort the call: it rejects with AsixError `ABORTED`. */
  signal?: AbortSignal;
  /** Give up after this many milliseconds (AsixError `TIMEOUT`); 0 means no timeout. Defaults to the client's requestTimeoutMs. */
  timeoutMs?: number;
}

export interface HttpRequest extends CallOptions {
  url: string;
  method?: "GET" | "POST" | "PUT" | "DELETE";
  /** a list value repeats its parameter (`key=a&key=b`) */
  query?: Record<string, string | number | boolean | readonly (string | number)[] | undefined>;
  /** A JSON body (sets content-type). */
  json?: unknown;
  body?: RequestInit["body"];
  headers?: Record<string, string>;
  redirect?: RequestInit["redirect"];
}

/** What the transport needs from a client; an AsixClient is one. */
export interface HttpClient {
  /** The fetch to use (tests and apps may inject one); the platform's by default. */
  readonly fetch?: typeof fetch;
  /** Per-request timeout when a call gives none. Default 30 s. */
  readonly requestTimeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The URL with the query's defined values appended. */
export function withQuery(url: string, query?: HttpRequest["query"]): string {
  if (!query) return url;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) search.append(key, String(one));
  }
  const qs = search.toString();
  return qs ? `${url}${url.includes("?") ? "&" : "?"}${qs}` : url;
}

interface Prepared {
  url: string;
  init: RequestInit & { duplex?: "half" };
  timeout?: AbortSignal;
  signal?: AbortSignal;
}

function prepare(client: HttpClient, req: HttpRequest): Prepared {
  const url = withQuery(req.url, req.query);
  const timeoutMs = req.timeoutMs ?? client.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new AsixError("INVALID_INPUT", `timeoutMs must be a non-negative number of milliseconds`);
  if (req.signal !== undefined && !(req.signal instanceof AbortSignal)) throw new AsixError("INVALID_INPUT", "signal must be an AbortSignal");
  const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
  const signals = [req.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const headers: Record<string, string> = { accept: "application/json", ...req.headers };
  let body = req.body;
  if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    headers["content-type"] = "application/json";
  }
  const init: Prepared["init"] = { method: req.method ?? "GET", headers, body, signal, redirect: req.redirect };
  // A streamed request body needs half duplex (fetch spec); undici refuses it otherwise.
  if (typeof ReadableStream !== "undefined" && body instanceof ReadableStream) init.duplex = "half";
  return { url, init, timeout, signal: req.signal };
}

/**
 * Send a request and return the raw Response once its headers are in. A non-2xx answer (other
 * than a 3xx asked for with `redirect: "manual"`) becomes the service's AsixError.
 */
export async function request(client: HttpClient, req: HttpRequest, context: string): Promise<Response> {
  const p = prepare(client, req);
  const res = await send(client, p, context);
  if (res.ok || (req.redirect === "manual" && res.status >= 300 && res.status < 400)) return res;
  throw errorFromResponse(res.status, await readJson(res, context, p).catch(() => undefined), context, res.headers.get("retry-after"));
}

/**
 * Send a request and return the parsed body of a 2xx answer. Anything else becomes an AsixError:
 * the service's own `{error:{code}}` when it sent one, NODE_UNAVAILABLE when nobody answered,
 * TIMEOUT or ABORTED when the call was cut short.
 */
export async function requestJson<T>(client: HttpClient, req: HttpRequest, context: string): Promise<T> {
  const p = prepare(client, req);
  const res = await send(client, p, context);
  let body: unknown;
  try {
    body = await readJson(res, context, p);
  } catch (e) {
    if (!res.ok) throw errorFromResponse(res.status, undefined, context, res.headers.get("retry-after"));
    throw e;
  }
  if (res.ok) return body as T;
  throw errorFromResponse(res.status, body, context, res.headers.get("retry-after"));
}

/** Node's (OpenSSL's) codes for a certificate the client will not accept. */
const TLS_TRUST_FAILURES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** The fetch itself; a failure to get any answer becomes ABORTED, TIMEOUT or NODE_UNAVAILABLE. */
async function send(client: HttpClient, p: Prepared, context: string): Promise<Response> {
  try {
    return await (client.fetch ?? globalThis.fetch)(p.url, p.init);
  } catch (cause) {
    throw networkError(cause, context, p.url, p);
  }
}

async function readJson(res: Response, context: string, p: Pick<Prepared, "timeout" | "signal" | "url">): Promise<unknown> {
  let text: string;
  try {
    text = await res.text();
  } catch (cause) {
    throw networkError(cause, context, p.url, p);
  }
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new AsixError("NODE_UNAVAILABLE", `${context}: ${p.url} answered HTTP ${res.status} with a body that is not JSON`, {
      cause,
      details: { status: res.status },
    });
  }
}

/** Why a fetch failed, as a code: the caller's abort, the timeout, or an unreachable node. */
export function networkError(cause: unknown, context: string, url?: string, signals: { timeout?: AbortSignal; signal?: AbortSignal } = {}): AsixError {
  if (signals.signal?.aborted) return new AsixError("ABORTED", `${context}: aborted`, { cause: signals.signal.reason ?? cause });
  const name = (cause as { name?: string } | undefined)?.name;
  if (signals.timeout?.aborted || name === "TimeoutError") {
    return new AsixError("TIMEOUT", `${context}: ${url ?? "request"} timed out`, { cause });
  }
  if (name === "AbortError") return new AsixError("ABORTED", `${context}: aborted`, { cause });
  // undici reports "fetch failed" with the socket error (ECONNREFUSED, ...) as its cause.
  const inner = (cause as { cause?: { code?: string } } | undefined)?.cause;
  const code = inner?.code ?? (cause as { code?: string } | undefined)?.code;
  if (code && TLS_TRUST_FAILURES.has(code)) {
    return new AsixError("TLS_UNTRUSTED", `${context}: ${url ?? "the node"} has a TLS certificate this client does not trust (${code}); give the client the network's CA (caFile)`, { cause, details: { tlsCode: code } });
  }
  return new AsixError("NODE_UNAVAILABLE", `${context}: cannot reach ${url ?? "the node"} (${code ?? String(cause)})`, { cause });
}
