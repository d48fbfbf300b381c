/** Stable codes that callers narrow on; never parse an error message. */
export type AsixErrorCode =
  | "INVALID_INPUT"
  | "NOT_FOUND"
  | "UNAUTHORIZED"
  | "INVALID_CREDENTIALS"
  | "RATE_LIMITED"
  | "NODE_UNAVAILABLE"
  /** the node's HTTPS certificate is not signed by a CA this client trusts (or not for its name, or expired) */
  | "TLS_UNTRUSTED"
  | "CHAIN_REVERTED"
  | "TIMEOUT"
  /** the caller aborted the call (its AbortSignal) */
  | "ABORTED"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA"
  | "RANGE_NOT_SATISFIABLE"
  | "UPLOAD_FAILED"
  | "INTERNAL";

/** What an AsixError carries besides its code and message. */
export interface AsixErrorOptions {
  /** the underlying error */
  cause?: unknown;
  /** structured facts about the failure */
  details?: Record<string, unknown>;
}

/** The one error type the SDK throws. `code` is stable; `cause` keeps the underlying error. */
export class AsixError extends Error {
  /** stable: narrow on it, never on the message */
  readonly code: AsixErrorCode;
  /** what the failure was about (status, body, revert name, ...), for logs and callers */
  readonly details: Record<string, unknown>;

  constructor(code: AsixErrorCode, message: string, options: AsixErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AsixError";
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** Narrow an unknown error to an AsixError, optionally of one code. */
export function isAsixError<C extends AsixErrorCode>(e: unknown, code?: C): e is AsixError & {
  /** the code asked for */
  code: C;
} {
  return e instanceof AsixError && (code === undefined || e.code === code);
}

/** HTTP status a service answers for each code. Services and the SDK share this table. */
export const HTTP_STATUS_OF: Record<AsixErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA: 415,
  RANGE_NOT_SATISFIABLE: 416,
  UPLOAD_FAILED: 422,
  RATE_LIMITED: 429,
  CHAIN_REVERTED: 422,
  INTERNAL: 500,
  NODE_UNAVAILABLE: 503,
  // Client-side only: the client refused the node's certificate (like a gateway's 495/502).
  TLS_UNTRUSTED: 502,
  TIMEOUT: 504,
  // Client-side only (the caller's AbortSignal); 499 is the customary "client closed request".
  ABORTED: 499,
};

const CODES = new Set(Object.keys(HTTP_STATUS_OF));

/**
 * Map a service's JSON error body `{error:{code,message}}` and status back to an AsixError. A
 * `Retry-After` of whole seconds (as every node sends with a 429) becomes `details.retryAfterSeconds`,
 * so a caller knows when to try again without reading the message.
 */
export function errorFromResponse(status: number, body: unknown, context: string, retryAfter?: string | null): AsixError {
  const err = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const code = err?.code && CODES.has(err.code) ? (err.code as AsixErrorCode) : codeOfStatus(status);
  const message = err?.message ?? `HTTP ${status}`;
  const seconds = retryAfter != null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : undefined;
  return new AsixError(code, `${context}: ${message}`, { details: { status, body, ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }) } });
}

function codeOfStatus(status: number): AsixErrorCode {
  if (status === 400) return "INVALID_INPUT";
  if (status === 401 || status === 403) return "UNAUTHORIZED";
  if (status === 404) return "NOT_FOUND";
  if (status === 409) return "CONFLICT";
  if (status === 413) return "PAYLOAD_TOO_LARGE";
  if (status === 415) return "UNSUPPORTED_MEDIA";
  if (status === 416) return "RANGE_NOT_SATISFIABLE";
  if (status === 429) return "RATE_LIMITED";
  if (status >= 500) return "NODE_UNAVAILABLE";
  return "INVALID_INPUT";
}
