import Hashids from "hashids";
import { AsixError } from "./errors";

// The reference protocol's REST ids: 1 → "7eP5n". Made on first use: building its alphabet's
// regular expressions cost every app start about a millisecond.
let instance: Hashids | undefined;
const hashids = (): Hashids => (instance ??= new Hashids("azowernasdfoia", 5));

/** Encode an integer entity id as the REST API's hashid. */
export function encodeHashId(id: number | bigint): string {
  const n = typeof id === "bigint" ? id : BigInt(id);
  if (n < 0n) throw new AsixError("INVALID_INPUT", `entity id must not be negative, got ${id}`);
  return hashids().encode(n);
}

/**
 * Every safe integer encodes to at most 11 characters. Decoding costs far more than linear time in
 * the length (a 15 kB string took over a second), so anything longer is refused before it is decoded.
 */
const MAX_HASHID_LENGTH = 16;

/** Decode a hashid to an integer id, or undefined when it is not a valid hashid. */
export function decodeHashId(hashid: string): number | undefined {
  if (typeof hashid !== "string" || hashid.length > MAX_HASHID_LENGTH || !/^[A-Za-z0-9]{5,}$/.test(hashid)) return undefined;
  const decoded = hashids().decode(hashid);
  if (decoded.length !== 1) return undefined;
  const n = Number(decoded[0]);
  // Hashids decodes some strings that it would never produce; round-trip to be sure.
  return Number.isSafeInteger(n) && hashids().encode(n) === hashid ? n : undefined;
}

/** Accept either an integer id or a hashid and return the integer, or throw INVALID_INPUT. */
export function toEntityId(id: number | bigint | string, what = "id"): number {
  if (typeof id === "number" || typeof id === "bigint") {
    const n = Number(id);
    if (!Number.isSafeInteger(n) || n < 0) throw new AsixError("INVALID_INPUT", `${what} ${id} is not a valid id`);
    return n;
  }
  if (/^\d+$/.test(id)) return toEntityId(Number(id), what);
  const n = decodeHashId(id);
  if (n === undefined) throw new AsixError("INVALID_INPUT", `${what} "${id}" is neither an integer nor a hashid`);
  return n;
}
