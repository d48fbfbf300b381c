import { decodeBytes32String, formatUnits, parseUnits } from "ethers";
import { AsixError } from "../errors";

/** AUDIO has 18 decimals; the API takes and returns wei as bigint. */
export const AUDIO_DECIMALS = 18;

/** "1234.5 AUDIO" from wei, without a trailing ".0". */
export function formatAudio(wei: bigint): string {
  return `${formatUnits(wei, AUDIO_DECIMALS).replace(/\.0$/, "")} AUDIO`;
}

/** Wei from a human amount such as "200000" or "1.5"; INVALID_INPUT for anything else. */
export function parseAudio(text: string, what = "amount"): bigint {
  const trimmed = String(text ?? "").trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) {
    throw new AsixError("INVALID_INPUT", `${what} must be a number of AUDIO such as 200000 or 1.5, got ${JSON.stringify(text)}`);
  }
  try {
    return parseUnits(trimmed, AUDIO_DECIMALS);
  } catch (cause) {
    throw new AsixError("INVALID_INPUT", `${what} ${JSON.stringify(text)} has more than ${AUDIO_DECIMALS} decimals`, { cause });
  }
}

/** A bytes32 string ("content-node") as text, or the hex when it is not a string. */
export function bytes32Text(value: string): string {
  try {
    return decodeBytes32String(value);
  } catch {
    return value;
  }
}

/** A copy with every bigint as a decimal string, for JSON output. */
export function jsonSafe<T>(value: T): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return value;
}
