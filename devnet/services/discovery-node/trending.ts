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
 * on the track's genre (ASCII case-insensitive).
 */
export const TRENDING_WINDOWS = {
  week: { windowSeconds: 7 * 86400, halfLifeSeconds: 2 * 86400 },
  month: { windowSeconds: 30 * 86400, halfLifeSeconds: 7 * 86400 },
  allTime: { windowSeconds: Infinity, halfLifeSeconds: 90 * 86400 },
} as const;
export const TRENDING_WEIGHTS = { repost: 3, save: 2, play: 1 } as const;

export type TrendingTime = keyof typeof TRENDING_WINDOWS;

// The same SQL on both backends; the age goes to double precision before exp() (PostgreSQL would
// otherwise compute in numeric).
const SQL = `
WITH events AS (
  SELECT item_id AS track_id, created_at, ${TRENDING_WEIGHTS.repost}.0 AS w FROM reposts WHERE item_type = 'track' AND created_at >= ?
  UNION ALL
  SELECT item_id, created_at, ${TRENDING_WEIGHTS.save}.0 FROM saves WHERE item_type = 'track' AND created_at >= ?
  UNION ALL
  SELECT track_id, created_at, ${TRENDING_WEIGHTS.play}.0 FROM plays WHERE created_at >= ?
)
SELECT e.track_id AS track_id, SUM(e.w * exp(-CAST(? - e.created_at AS DOUBLE PRECISION) * 0.6931471805599453 / ?)) AS score
FROM events e JOIN tracks t ON t.track_id = e.track_id
WHERE t.is_delete = 0 AND (CAST(? AS TEXT) IS NULL OR lower(t.genre) = lower(CAST(? AS TEXT)))
GROUP BY e.track_id
ORDER BY score DESC, e.track_id DESC
LIMIT ? OFFSET ?`;

/** Track ids in trending order with their score. */
export function trendingTrackIds(
  db: Db,
  time: TrendingTime,
  genre: string | undefined,
  page: Page,
  now = Math.floor(Date.now() / 1000),
): Promise<Array<{ track_id: number; score: number }>> {
  const w = TRENDING_WINDOWS[time];
  const since = Number.isFinite(w.windowSeconds) ? now - w.windowSeconds : 0;
  return db.all<{ track_id: number; score: number }>(SQL, [since, since, since, now, w.halfLifeSeconds, genre ?? null, genre ?? null, page.limit, page.offset]);
}
