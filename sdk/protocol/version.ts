/**
 * The version of the wire protocol our nodes speak, reported as `version` by every `/health_check`.
 * Reference clients rank a discovery node below 0.7.0 as "behind" and reject an invalid semver
 * (PROTOCOL.md §8), so this is the protocol's version, not a package's.
 */
export const PROTOCOL_VERSION = "0.7.0";

/**
 * Whether a node reporting `version` speaks our protocol: a valid semver with our major, and (while
 * the major is 0, where minors may break) our minor; any patch, and pre-releases of it, are fine.
 */
export function isCompatibleVersion(version: unknown): boolean {
  const theirs = typeof version === "string" ? /^(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$/.exec(version) : null;
  if (!theirs) return false;
  const [, major, minor] = /^(\d+)\.(\d+)\.(\d+)$/.exec(PROTOCOL_VERSION)!;
  if (theirs[1] !== major) return false;
  return major !== "0" || theirs[2] === minor;
}
