/**
 * Limits the SDK checks before it sends anything. They live here, apart from the code that
 * enforces them, so that the SDK's entry exports them without loading that code.
 */

/** The shortest password an email wallet accepts. */
export const MIN_PASSWORD_LENGTH = 8;

/** The most tracks a playlist holds. */
export const MAX_PLAYLIST_TRACKS = 5000;
