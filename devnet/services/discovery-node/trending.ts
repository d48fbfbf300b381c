import { stmt } from "./actions/context";
import type { Db } from "./db";
import type { Page } from "./search";

/**
 * Trending tracks. The score of a track is
 *
 *   score = Σ over its events e in the window:  weight(e) · 2^(−age(e) / halfLife)
 *
 * with weight repost = 3, save = 2, play = 1, and
 *   week:    window 7 days,  half-life 2 days
 *   month:   window 30 days, half-life 7 days
 *   allTime: no window,      half-life 90 days
 * Only live tracks with at least one event rank; ties go to the newer track id. `genre` filters
 * on the track's genre (case-insensitive).
 */
export const TRENDING_WINDOWS = {
  week: { windowSeconds: 7 * 86400, halfLifeSeconds: 2 * 86400 },
  month: { windowSeconds: 30 * 86400, halfLifeSeconds: 7 * 86400 },
  allTime: { windowSeconds: Infinity, halfLifeSeconds: 90 * 86400 },
} as const;
export const TRENDING_WEIGHTS = { repost: 3, save: 2, play: 1 } as const;

export type TrendingTime = keyof typeof TRENDING_WINDOWS;

const SQL = `
WITH events AS (
  SELECT item_id AS track_id, created_at, ${TRENDING_WEIGHTS.repost}.0 AS w FROM reposts WHERE item_type = 'track' AND created_at >= @since
  UNION ALL
  SELECT item_id, created_at, ${TRENDING_WEIGHTS.save}.0 FROM saves WHERE item_type = 'track' AND created_at >= @since
  UNION ALL
  SELECT track_id, created_at, ${TRENDING_WEIGHTS.play}.0 FROM plays WHERE created_at >= @since
)
SELECT e.track_id AS track_id, SUM(e.w * exp(-(@now - e.created_at) * 0.6931471805599453 / @half_life)) AS score
FROM events e JOIN tracks t ON t.track_id = e.track_id
WHERE t.is_delete = 0 AND (@genre IS NULL OR t.genre = @genre COLLATE NOCASE)
GROUP BY e.track_id
ORDER BY score DESC, e.track_id DESC
LIMIT @limit OFFSET @offset`;

/** Track ids in trending order with their score. */
export function trendingTrackIds(
  db: Db,
  time: TrendingTime,
  genre: string | undefined,
  page: Page,
  now = Math.floor(Date.now() / 1000),
): Array<{ track_id: number; score: number }> {
  const w = TRENDING_WINDOWS[time];
  return stmt(db, SQL).all({
    since: Number.isFinite(w.windowSeconds) ? now - w.windowSeconds : 0,
    now,
    half_life: w.halfLifeSeconds,
    genre: genre ?? null,
    limit: page.limit,
    offset: page.offset,
  }) as Array<{ track_id: number; score: number }>;
}
