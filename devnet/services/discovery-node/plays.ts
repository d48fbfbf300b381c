import { AsixError } from "../../../sdk/errors";
import type { StreamAccess } from "../../../sdk/signatures";
import { stmt } from "./actions/context";
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
export function countPlay(db: Db, trackId: number, access: StreamAccess, now = Math.floor(Date.now() / 1000)): PlayOutcome {
  const nonce = `${access.signer.toLowerCase()}:${access.data.nonce}`;
  const ip = access.data.ip ?? "";
  const userId = access.data.userId ?? null;
  const since = now - PLAY_LIMITS.windowSeconds;
  return db.transaction(() => {
    stmt(db, "DELETE FROM play_signatures WHERE created_at < ?").run(now - NONCE_MEMORY_SECONDS);
    if (stmt(db, "SELECT 1 FROM play_signatures WHERE nonce = ?").get(nonce)) {
      throw new AsixError("CONFLICT", "this stream signature already counted a play");
    }
    const count = (sql: string, ...args: unknown[]) => (stmt(db, sql).get(...args) as { n: number }).n;
    if (userId !== null && count("SELECT COUNT(*) AS n FROM play_signatures WHERE user_id = ? AND track_id = ? AND created_at >= ?", userId, trackId, since) >= PLAY_LIMITS.perListenerPerTrack) {
      throw new AsixError("RATE_LIMITED", `at most ${PLAY_LIMITS.perListenerPerTrack} plays of a track per listener per hour`);
    }
    if (count("SELECT COUNT(*) AS n FROM play_signatures WHERE ip = ? AND track_id = ? AND created_at >= ?", ip, trackId, since) >= PLAY_LIMITS.perIpPerTrack) {
      throw new AsixError("RATE_LIMITED", `at most ${PLAY_LIMITS.perIpPerTrack} plays of a track per IP per hour`);
    }
    if (count("SELECT COUNT(*) AS n FROM play_signatures WHERE ip = ? AND created_at >= ?", ip, since) >= PLAY_LIMITS.perIp) {
      throw new AsixError("RATE_LIMITED", `at most ${PLAY_LIMITS.perIp} plays per IP per hour`);
    }
    stmt(db, "INSERT INTO play_signatures (nonce, track_id, ip, user_id, created_at) VALUES (?, ?, ?, ?, ?)").run(nonce, trackId, ip, userId, now);
    stmt(db, "INSERT INTO plays (track_id, created_at) VALUES (?, ?)").run(trackId, now);
    stmt(db, "UPDATE tracks SET play_count = play_count + 1 WHERE track_id = ?").run(trackId);
    return { playCount: (stmt(db, "SELECT play_count FROM tracks WHERE track_id = ?").get(trackId) as { play_count: number }).play_count };
  })();
}
