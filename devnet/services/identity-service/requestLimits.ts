import type { Request, RequestHandler, Response, NextFunction } from "express";
import { isAsixError } from "../../../sdk/errors";
import type { IdentityDb } from "./db";
import { MINUTE, RateLimiter } from "./rateLimit";

/**
 * Request rate limits on every endpoint (but /health_check): per client IP, and per the key a
 * route is about (a lookup key, an email, a wallet), so neither one machine nor a crowd of them
 * can probe one record quickly. Answered 429 JSON with Retry-After. The counts live in the same
 * SQLite counters as the relay limits (this service's one counter mechanism; the brief allows no
 * new dependency such as express-rate-limit).
 */

/** Requests per minute, by route group: per client IP and per subject key. */
export interface RequestLimits {
  perIp: Record<RouteGroup, number>;
  perKey: Record<RouteGroup, number>;
}

export type RouteGroup = "authRead" | "authWrite" | "emailCheck" | "emailLink" | "relay" | "verification";

export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  // A person logs in a few times a minute at most; a password guesser needs thousands.
  perIp: { authRead: 60, authWrite: 30, emailCheck: 60, emailLink: 30, relay: 3000, verification: 30 },
  perKey: { authRead: 10, authWrite: 10, emailCheck: 10, emailLink: 10, relay: 3000, verification: 10 },
};

export interface RequestLimiter {
  /** Middleware counting one request of `group` for the client IP and, when `keyOf` gives one, for that key. */
  limit(group: RouteGroup, keyOf?: (req: Request) => string | undefined): RequestHandler;
}

export function requestLimiter(db: IdentityDb, limits: Partial<{ perIp: Partial<RequestLimits["perIp"]>; perKey: Partial<RequestLimits["perKey"]> }> = {}): RequestLimiter {
  const byGroup = (counts: Record<string, number | undefined>) =>
    Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== undefined).map(([group, n]) => [`req:${group}`, n as number]));
  const perIp = new RateLimiter(db, byGroup({ ...DEFAULT_REQUEST_LIMITS.perIp, ...limits.perIp }), MINUTE, "IP");
  const perKey = new RateLimiter(db, byGroup({ ...DEFAULT_REQUEST_LIMITS.perKey, ...limits.perKey }), MINUTE, "key");
  return {
    limit(group, keyOf) {
      return (req: Request, res: Response, next: NextFunction) => {
        try {
          perIp.take(`ip:${clientIp(req)}`, `req:${group}`);
          const key = keyOf?.(req);
          if (key) perKey.take(`key:${key}`, `req:${group}`);
          next();
        } catch (e) {
          answerRateLimited(res, e);
          next(e);
        }
      };
    },
  };
}

/** The client's address: express's `req.ip`, which honours X-Forwarded-For only from trusted proxies. */
export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? "unknown";
}

/** Retry-After on a 429, from the limiter's details. */
export function answerRateLimited(res: Response, e: unknown): void {
  if (isAsixError(e, "RATE_LIMITED") && !res.headersSent) res.set("Retry-After", String(e.details.retryAfterSeconds));
}
