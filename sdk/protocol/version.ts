/**
 * The version of the wire protocol our nodes speak, reported as `version` by every `/health_check`.
 * Reference clients rank a discovery node below 0.7.0 as "behind" and reject an invalid semver
 * (PROTOCOL.md §8), so this is the protocol's version, not a package's.
 */
export const PROTOCOL_VERSION = "0.7.0";
