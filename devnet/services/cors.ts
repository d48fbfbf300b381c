import type http from "node:http";
import cors from "cors";
import { AsixError } from "../../sdk/errors";

/**
 * Which web origins a service lets browsers call it from: `"*"` for any (the devnet's and the
 * default, as every route is either public or signed per request, never cookie-authenticated), or
 * a list of exact origins such as `https://app.example`.
 */
export type CorsOrigins = "*" | readonly string[];

/** Response headers a page may read: what a ranged `<audio>`/fetch and a retrying client need. */
export const CORS_EXPOSED_HEADERS = ["Content-Range", "Content-Length", "Accept-Ranges", "ETag", "Content-Type", "Retry-After"];

/** How long a browser may reuse a preflight answer, so an upload or a signed read costs one preflight, not one each. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** A request listener's shape, so the same handler fronts express apps and the discovery node's raw cached path. */
export type CorsHandler = (req: http.IncomingMessage, res: http.ServerResponse, next: (err?: unknown) => void) => void;

/**
 * CORS for a service: answers preflights (204) and adds the allow/expose headers to every answer
 * from an allowed origin. A disallowed origin gets no `Access-Control-Allow-*` header at all, so
 * its browser refuses the answer; callers that are not browsers send no Origin and are unaffected.
 */
export function corsHandler(origins: CorsOrigins = "*"): CorsHandler {
  return cors({
    origin: origins === "*" ? "*" : [...resolveCorsOrigins(origins)],
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    // Preflights end here: no route, rate limit or body parser runs for them.
    preflightContinue: false,
    optionsSuccessStatus: 204,
  }) as CorsHandler;
}

/** A service's configured origins, checked at start (a typo fails the start, not every browser call later); default any. */
export function resolveCorsOrigins(origins: CorsOrigins | undefined): CorsOrigins {
  if (origins === undefined || origins === "*") return "*";
  if (!Array.isArray(origins)) throw new AsixError("INVALID_INPUT", `corsOrigins must be "*" or a list of origins`);
  return checkOrigins(origins);
}

/** `ASIX_CORS_ORIGINS`: `*` or comma-separated origins; unset means the default (any). */
export function corsOriginsFromEnv(value: string | undefined): CorsOrigins | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (value.trim() === "*") return "*";
  return checkOrigins(value.split(",").map((s) => s.trim()).filter((s) => s !== ""));
}

/** Origins are compared byte for byte with the browser's Origin header, so each must be a bare scheme://host[:port]. */
function checkOrigins(origins: readonly string[]): string[] {
  return origins.map((origin) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:") || parsed.origin !== origin) {
      throw new AsixError("INVALID_INPUT", `CORS origin ${JSON.stringify(origin)} is not of the form scheme://host[:port] (no path, no trailing slash)`);
    }
    return origin;
  });
}
