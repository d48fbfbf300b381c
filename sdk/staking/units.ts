import { AsixError } from "../errors";
import { hexToBytes } from "../eth/bytes";

// Decimal fixed point by hand (not ethers' formatUnits/parseUnits): these helpers are exported
// from the SDK's entry, whose load must not pull ethers in.

/** AUDIO has 18 decimals; the API takes and returns wei as bigint. */
export const AUDIO_DECIMALS = 18;
const WEI_PER_AUDIO = 10n ** BigInt(AUDIO_DECIMALS);

/** "1234.5 AUDIO" from wei, without a trailing ".0". */
export function formatAudio(wei: bigint): string {
  const abs = wei < 0n ? -wei : wei;
  const fraction = (abs % WEI_PER_AUDIO).toString().padStart(AUDIO_DECIMALS, "0").replace(/0+$/, "");
  return `${wei < 0n ? "-" : ""}${abs / WEI_PER_AUDIO}${fraction ? `.${fraction}` : ""} AUDIO`;
}

/** Wei from a human amount such as "200000" or "1.5"; INVALID_INPUT for anything else. */
export function parseAudio(text: string, what = "amount"): bigint {
  const trimmed = String(text ?? "").trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) {
    throw new AsixError("INVALID_INPUT", `${what} must be a number of AUDIO such as 200000 or 1.5, got ${JSON.stringify(text)}`);
  }
  const [whole, fraction = ""] = trimmed.split(".");
  const digits = fraction.replace(/0+$/, "");
  if (digits.length > AUDIO_DECIMALS) {
    throw new AsixError("INVALID_INPUT", `${what} ${JSON.stringify(text)} has more than ${AUDIO_DECIMALS} decimals`);
  }
  return BigInt(whole) * WEI_PER_AUDIO + BigInt(digits.padEnd(AUDIO_DECIMALS, "0") || "0");
}

/** A bytes32 string ("content-node") as text, or the hex when it is not a string. */
export function bytes32Text(value: string): string {
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(value);
  } catch {
    return value;
  }
  // Like ethers' decodeBytes32String: NUL-terminated UTF-8 within the 32 bytes.
  const end = bytes.indexOf(0);
  if (bytes.length !== 32 || end < 0) return value;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end));
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
