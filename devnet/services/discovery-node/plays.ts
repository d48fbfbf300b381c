import { AsixError } from "../../../sdk/errors";
import type { StreamAccess } from "../../../sdk/signatures";
import type { Db } from "./db";

/**
 * Counting plays (off chain). A play is reported with the stream signature a discovery node issued
 * for it, and counts only if that signature's nonce never counted before, and within the limits
 * below per listener (the user the stream was requested for) and per IP (the address that asked
 * for the stream, signed into the signature). A signature lives at most 48 h, so nonces older
 * than that are forgotten.
 */
export const PLAY_LIMITS = {
  /** counted plays of one track per listener per hour */
  perListenerPerTrack: 5,
  /** counted plays of one track per IP per hour */
  perIpPerTrack: 10,
  /** counted plays of all tracks per IP per hour (a NAT may hide many listeners) */
  perIp: 600,
  windowSeconds: 3600,
} as const;

const NONCE_MEMORY_SECONDS = 49 * 3600;

export type PlayOutcome = { playCount: number };

/** Count one play of `trackId` for a verified stream signature, or throw CONFLICT / RATE_LIMITED. */
export function countPlay(db: Db, trackId: number, access: StreamAccess, now = Math.floor(Date.now() / 1000)): Promise<PlayOutcome> {
  const nonce = `${access.signer.toLowerCase()}:${access.data.nonce}`;
  const ip = access.data.ip ?? "";
  const userId = access.data.userId ?? null;
  const since = now - PLAY_LIMITS.windowSeconds;
  return db.transaction(async (db) => {
    (await db.run("DELETE FROM play_signatures WHERE created_at < ?", [now - NONCE_MEMORY_SECONDS]));
    if ((await db.get("SELECT 1 FROM play_signatures WHERE nonce = ?", [nonce]))) {
      throw new AsixError("CONFLICT", "this stream signature already counted a play");
    }
    const count = async (sql: string, ...args: Array<string | number>) => (await db.get<{ n: number }>(sql, args))!.n;
    if (userId !== null && (await count("SELECT COUNT(*) AS n FROM play_signatures WHERE user_id = ? AND track_id = ? AND created_at >= ?", userId, trackId, since)) >= PLAY_LIMITS.perListenerPerTrack) {
      throw new AsixError("RATE_LIMITED", `at most ${PLAY_LIMITS.perListenerPerTrack} plays of a track per listener per hour`);
    }
    if ((await count("SELECT COUNT(*) AS n FROM play_signatures WHERE ip = ? AND track_id = ? AND created_at >= ?", ip, trackId, since)) >= PLAY_LIMITS.perIpPerTrack) {
      throw new AsixError("RATE_LIMITED", `at most ${PLAY_LIMITS.perIpPerTrack} plays of a track per IP per hour`);
    }
    if ((await count("SELECT COUNT(*) AS n FROM play_signatures WHERE ip = ? AND created_at >= ?", ip, since)) >= PLAY_LIMITS.perIp) {
      throw new AsixError("RATE_LIMITED", `at most ${PLAY_LIMITS.perIp} plays per IP per hour`);
    }
    (await db.run("INSERT INTO play_signatures (nonce, track_id, ip, user_id, created_at) VALUES (?, ?, ?, ?, ?)", [nonce, trackId, ip, userId, now]));
    (await db.run("INSERT INTO plays (track_id, created_at) VALUES (?, ?)", [trackId, now]));
    (await db.run("UPDATE tracks SET play_count = play_count + 1 WHERE track_id = ?", [trackId]));
    return { playCount: ((await db.get("SELECT play_count FROM tracks WHERE track_id = ?", [trackId])) as { play_count: number }).play_count };
  });
}
