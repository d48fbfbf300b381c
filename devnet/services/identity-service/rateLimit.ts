import { AsixError } from "../../../sdk/errors";
import type { IdentityDb } from "./db";

/**
 * Rate limits, counted in SQLite in fixed windows: one counter mechanism for every limit of the
 * service. A counter is (subject, key, window): the subject is whom it limits (`signer:0x…`,
 * `ip:1.2.3.4`, `lookupKey:…`), the key what it counts. For POST /relay the key is
 * `${action}${entityType}` (CreateUser, CreateTrack, FollowUser, ...); a key without its own limit
 * falls back to `default`.
 */

/** Per signer and hour, for POST /relay. */
export const DEFAULT_RATE_LIMITS: Record<string, number> = {
  CreateUser: 10,
  CreateTrack: 100,
  FollowUser: 2000,
  default: 1000,
};

/**
 * Per client IP and hour, for POST /relay: the bound on what one machine can make the relayers
 * pay, whatever the number of wallets it signs with (throwaway wallets are free).
 */
export const DEFAULT_IP_RATE_LIMITS: Record<string, number> = {
  CreateUser: 100,
  default: 20_000,
};

export interface RateLimitWindow {
  /** length of a counting window; windows start at multiples of it (unix seconds) */
  seconds: number;
  /** its name in messages ("hour", "day") */
  name: string;
}

export const HOUR: RateLimitWindow = { seconds: 3600, name: "hour" };
export const DAY: RateLimitWindow = { seconds: 86_400, name: "day" };
export const MINUTE: RateLimitWindow = { seconds: 60, name: "minute" };

/** Counters older than the longest window are dropped, so the table stays the size of one day. */
const PRUNE_AFTER_SECONDS = DAY.seconds;

/** PROTOCOL.md §3's actions by entity type; nothing else can succeed at the indexer. */
export const PROTOCOL_ACTIONS: Record<string, string[]> = {
  User: ["Create", "Update", "Follow", "Unfollow", "Subscribe", "Unsubscribe"],
  Track: ["Create", "Update", "Delete", "Save", "Unsave", "Repost", "Unrepost"],
  Playlist: ["Create", "Update", "Delete", "Save", "Unsave", "Repost", "Unrepost"],
};

/**
 * The counter an action goes to: `${action}${entityType}` for the protocol's actions, and one shared
 * `Other` for anything else, so inventing action names does not buy a fresh budget each time.
 */
export function rateLimitKey(action: string, entityType: string): string {
  return PROTOCOL_ACTIONS[entityType]?.includes(action) ? `${action}${entityType}` : "Other";
}

export interface RateLimitTicket {
  subject: string;
  actionKey: string;
  windowStart: number;
}

export class RateLimiter {
  private readonly take_;
  private readonly giveBack_;
  private readonly prune_;
  private prunedAt = 0;

  constructor(
    db: IdentityDb,
    private readonly limits: Record<string, number>,
    private readonly window: RateLimitWindow = HOUR,
    /** whom a counter limits, in messages: "signer", "IP", "lookup key" */
    private readonly per = "signer",
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
    this.prune_ = db.prepare(`DELETE FROM relay_counts WHERE window_start < ?`);
  }

  limitOf(actionKey: string): number {
    return this.limits[actionKey] ?? this.limits.default ?? DEFAULT_RATE_LIMITS.default;
  }

  /** Count one use by `subject`, or throw RATE_LIMITED with `details.retryAfterSeconds`. */
  take(subject: string, actionKey: string): RateLimitTicket {
    const nowSeconds = Math.floor(this.now() / 1000);
    const windowStart = nowSeconds - (nowSeconds % this.window.seconds);
    if (nowSeconds - this.prunedAt >= MINUTE.seconds) {
      this.prunedAt = nowSeconds;
      this.prune_.run(nowSeconds - PRUNE_AFTER_SECONDS - this.window.seconds);
    }
    const limit = this.limitOf(actionKey);
    const key = subject.toLowerCase();
    const changed = limit > 0 ? this.take_.run(key, actionKey, windowStart, limit).changes : 0;
    if (changed === 0) {
      const retryAfterSeconds = windowStart + this.window.seconds - nowSeconds;
      throw new AsixError("RATE_LIMITED", `${actionKey} is limited to ${limit} per ${this.window.name} for each ${this.per}; retry in ${retryAfterSeconds} s`, {
        details: { retryAfterSeconds, limit, actionKey, per: this.per },
      });
    }
    return { subject: key, actionKey, windowStart };
  }

  /** Undo a count for a use that never happened (a relay that never reached the chain). */
  giveBack(ticket: RateLimitTicket): void {
    this.giveBack_.run(ticket.subject, ticket.actionKey, ticket.windowStart);
  }
}
