import { isCid } from "../../../sdk/cid";
import type { ActionRejectionCode } from "../../../sdk/protocol/actions";

/**
 * Action metadata is hostile input: anyone can put any string on chain. Each reader below accepts
 * exactly one type and size, or throws a Rejection whose message becomes the recorded reason and
 * whose code (bad input unless said otherwise) is recorded beside it for clients to branch on.
 */
export class Rejection extends Error {
  constructor(
    message: string,
    readonly code: ActionRejectionCode = "invalid",
  ) {
    super(message);
  }
}

/** Handles: unique case-insensitively, `[A-Za-z0-9_]{1,30}` (PROTOCOL.md §3). */
export const HANDLE_PATTERN = /^[A-Za-z0-9_]{1,30}$/;

/** Size limits (characters). §3 fixes bio, description and playlist length; the rest keep rows small. */
export const LIMITS = {
  metadata: 512 * 1024,
  bio: 256,
  description: 2500,
  playlistTracks: 5000,
  name: 128,
  location: 128,
  title: 256,
  playlistName: 256,
  genre: 64,
  mood: 64,
  tags: 1000,
  filename: 256,
  releaseDate: 64,
  uploadId: 128,
} as const;

/** Upload ids and image references end up in URLs, so only URL-safe characters. */
const SAFE_REF = /^[A-Za-z0-9._-]*$/;

/** Replace lone surrogates with U+FFFD (String.prototype.toWellFormed, which ES2023 typings lack). */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

export type MetadataData = Record<string, unknown>;

/** Parse `{"cid":"","data":{...}}` and return `data`. */
export function parseEntityMetadata(raw: string): MetadataData {
  if (raw.length > LIMITS.metadata) throw new Rejection(`metadata longer than ${LIMITS.metadata} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Rejection("metadata is not valid JSON");
  }
  if (!isPlainObject(parsed)) throw new Rejection("metadata must be a JSON object");
  const data = parsed.data;
  if (!isPlainObject(data)) throw new Rejection('metadata.data must be an object');
  return data;
}

/** Social-action metadata is optional; only `is_save_of_repost` is read, and anything malformed is ignored. */
export function parseSaveOfRepost(raw: string): boolean {
  if (!raw || raw.length > 1024) return false;
  try {
    const parsed = JSON.parse(raw);
    const flag = isPlainObject(parsed) ? (parsed.is_save_of_repost ?? (isPlainObject(parsed.data) ? parsed.data.is_save_of_repost : undefined)) : undefined;
    return flag === true;
  } catch {
    return false;
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const has = (data: MetadataData, key: string) => Object.prototype.hasOwnProperty.call(data, key) && data[key] !== undefined;

/** A string field; null counts as "". Returns undefined when absent. */
export function readString(data: MetadataData, key: string, max: number): string | undefined {
  if (!has(data, key)) return undefined;
  const v = data[key];
  if (v === null) return "";
  if (typeof v !== "string") throw new Rejection(`${key} must be a string`);
  if (v.length > max) throw new Rejection(`${key} longer than ${max} characters`);
  // PostgreSQL text cannot hold U+0000, and every node must decide alike whatever its database.
  if (v.includes("\u0000")) throw new Rejection(`${key} contains a NUL character`);
  // A lone surrogate (valid in JSON text) has no UTF-8 form: store U+FFFD, as any reader would see it.
  return wellFormed(v);
}

export function readRequiredString(data: MetadataData, key: string, max: number): string {
  const v = readString(data, key, max);
  if (v === undefined || v.trim() === "") throw new Rejection(`${key} is required`);
  return v;
}

/** A CID field: "" or a valid CID. */
export function readCid(data: MetadataData, key: string): string | undefined {
  const v = readString(data, key, 128);
  if (v && !isCid(v)) throw new Rejection(`${key} is not a valid CID`);
  return v;
}

/** An image or upload reference (upload id or CID): URL-safe characters only. */
export function readRef(data: MetadataData, key: string): string | undefined {
  const v = readString(data, key, LIMITS.uploadId);
  if (v && !SAFE_REF.test(v)) throw new Rejection(`${key} has characters other than [A-Za-z0-9._-]`);
  return v;
}

export function readBool(data: MetadataData, key: string): boolean | undefined {
  if (!has(data, key)) return undefined;
  const v = data[key];
  if (v === null) return false;
  if (typeof v !== "boolean") throw new Rejection(`${key} must be a boolean`);
  return v;
}

/** A non-negative number (seconds); rounded to an integer. */
export function readDuration(data: MetadataData, key: string): number | undefined {
  if (!has(data, key)) return undefined;
  const v = data[key];
  if (v === null) return 0;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1e9) throw new Rejection(`${key} must be a non-negative number of seconds`);
  return Math.round(v);
}

/** An entity id inside metadata: a non-negative safe integer (not a hashid). */
export function readId(value: unknown, key: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw new Rejection(`${key} must be an integer id`);
  return value;
}

export function readHandle(data: MetadataData, key = "handle"): string | undefined {
  const v = readString(data, key, 64);
  if (v === undefined) return undefined;
  if (!HANDLE_PATTERN.test(v)) throw new Rejection(`handle must match [A-Za-z0-9_]{1,30}`);
  return v;
}

export interface PlaylistEntry {
  track_id: number;
  timestamp: number;
  metadata_timestamp: number;
}

/** `playlist_contents: [{track_id:int, timestamp:unix s}]`, at most 5,000 entries. */
export function readPlaylistContents(data: MetadataData, key: string, blockTime: number): PlaylistEntry[] | undefined {
  if (!has(data, key)) return undefined;
  let v = data[key];
  // The reference clients wrap the list as {track_ids: [{track, time}]}; accept both shapes.
  if (isPlainObject(v) && Array.isArray(v.track_ids)) v = v.track_ids;
  if (!Array.isArray(v)) throw new Rejection(`${key} must be an array`);
  if (v.length > LIMITS.playlistTracks) throw new Rejection(`a playlist holds at most ${LIMITS.playlistTracks} tracks`);
  return v.map((entry, i) => {
    if (!isPlainObject(entry)) throw new Rejection(`${key}[${i}] must be an object`);
    const track_id = readId(entry.track_id ?? entry.track, `${key}[${i}].track_id`);
    const ts = entry.timestamp ?? entry.time ?? blockTime;
    if (typeof ts !== "number" || !Number.isSafeInteger(ts) || ts < 0) throw new Rejection(`${key}[${i}].timestamp must be unix seconds`);
    return { track_id, timestamp: ts, metadata_timestamp: blockTime };
  });
}
