import { AsixError } from "../../../sdk/errors";
import type { IdentityDb } from "./db";

/**
 * Per-signer, per-action relay limits, counted in SQLite in fixed windows (one hour by default; the
 * eth relay counts per UTC day). For POST /relay the action key is `${action}${entityType}`
 * (CreateUser, CreateTrack, FollowUser, ...); a key without its own limit falls back to `default`.
 */

export const DEFAULT_RATE_LIMITS: Record<string, number> = {
  CreateUser: 10,
  CreateTrack: 100,
  FollowUser: 2000,
  default: 1000,
};

export interface RateLimitWindow {
  /** length of a counting window; windows start at multiples of it (unix seconds). Default 3600 */
  seconds: number;
  /** its name in messages ("hour", "day") */
  name: string;
}

const HOURLY: RateLimitWindow = { seconds: 3600, name: "hour" };

/** PROTOCOL.md §3's actions by entity type. */
const KNOWN_ACTIONS: Record<string, string[]> = {
  User: ["Create", "Update", "Follow", "Unfollow", "Subscribe", "Unsubscribe"],
  Track: ["Create", "Update", "Delete", "Save", "Unsave", "Repost", "Unrepost"],
  Playlist: ["Create", "Update", "Delete", "Save", "Unsave", "Repost", "Unrepost"],
};

/**
 * The counter an action goes to: `${action}${entityType}` for the protocol's actions, and one shared
 * `Other` for anything else, so inventing action names does not buy a fresh budget each time.
 */
export function rateLimitKey(action: string, entityType: string): string {
  return KNOWN_ACTIONS[entityType]?.includes(action) ? `${action}${entityType}` : "Other";
}

export interface RateLimitTicket {
  signer: string;
  actionKey: string;
  windowStart: number;
}

export class RelayRateLimiter {
  private readonly take_;
  private readonly giveBack_;

  constructor(
    db: IdentityDb,
    private readonly limits: Record<string, number>,
    private readonly window: RateLimitWindow = HOURLY,
    private readonly now: () => number = Date.now,
  ) {
    // The increment only happens while under the limit, so the check and the count are one statement.
    this.take_ = db.prepare(
      `INSERT INTO relay_counts (signer, action_key, window_start, count) VALUES (?, ?, ?, 1)
       ON CONFLICT (signer, action_key, window_start) DO UPDATE SET count = count + 1 WHERE count < ?`,
    );
    this.giveBack_ = db.prepare(
      `UPDATE relay_counts SET count = count - 1 WHERE signer = ? AND action_key = ? AND window_start = ? AND count > 0`,
    );
  }

  limitOf(actionKey: string): number {
    return this.limits[actionKey] ?? this.limits.default ?? DEFAULT_RATE_LIMITS.default;
  }

  /** Count one relay, or throw RATE_LIMITED with `details.retryAfterSeconds`. */
  take(signer: string, actionKey: string): RateLimitTicket {
    const nowSeconds = Math.floor(this.now() / 1000);
    const windowStart = nowSeconds - (nowSeconds % this.window.seconds);
    const limit = this.limitOf(actionKey);
    const key = signer.toLowerCase();
    const changed = limit > 0 ? this.take_.run(key, actionKey, windowStart, limit).changes : 0;
    if (changed === 0) {
      const retryAfterSeconds = windowStart + this.window.seconds - nowSeconds;
      throw new AsixError("RATE_LIMITED", `${actionKey} is limited to ${limit} per ${this.window.name} for each signer; retry in ${retryAfterSeconds} s`, {
        details: { retryAfterSeconds, limit, actionKey },
      });
    }
    return { signer: key, actionKey, windowStart };
  }

  /** Undo a count for a relay that never reached the chain. */
  giveBack(ticket: RateLimitTicket): void {
    this.giveBack_.run(ticket.signer, ticket.actionKey, ticket.windowStart);
  }
}
