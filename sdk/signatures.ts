import { Wallet, verifyMessage, type Signer } from "ethers";
import { AsixError } from "./errors";

/**
 * Signed envelopes that nodes and clients exchange off chain (EIP-191 personal_sign over a
 * canonical JSON string). One home for three uses: upload request headers, the discovery node's
 * stream signature, and the signature on every /health_check.
 */

/** Keys sorted at every level, so the signer and the verifier hash the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export async function signData(signer: Signer | Wallet, data: unknown): Promise<string> {
  return signer.signMessage(canonicalJson(data));
}

/** The address that signed `data`, or undefined when the signature is malformed. */
export function recoverDataSigner(data: unknown, signature: string): string | undefined {
  try {
    return verifyMessage(canonicalJson(data), signature);
  } catch {
    return undefined;
  }
}

// ---- upload request headers ------------------------------------------------------------------

export const SIGNED_HEADER_WALLET = "x-asix-wallet";
export const SIGNED_HEADER_TIMESTAMP = "x-asix-timestamp";
export const SIGNED_HEADER_SIGNATURE = "x-asix-signature";
/** Signed request headers older (or newer) than this are refused. */
export const REQUEST_SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

/** Headers that prove the caller holds its wallet: a signature over a timestamp. */
export async function signRequestHeaders(signer: Signer, now = Date.now()): Promise<Record<string, string>> {
  const wallet = await signer.getAddress();
  const signature = await signData(signer, { purpose: "asix-request", timestamp: now });
  return {
    [SIGNED_HEADER_WALLET]: wallet,
    [SIGNED_HEADER_TIMESTAMP]: String(now),
    [SIGNED_HEADER_SIGNATURE]: signature,
  };
}

/** Check signed request headers; returns the proven wallet or throws UNAUTHORIZED. */
export function verifyRequestHeaders(headers: Record<string, string | string[] | undefined>, now = Date.now()): string {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const wallet = one(SIGNED_HEADER_WALLET);
  const timestamp = one(SIGNED_HEADER_TIMESTAMP);
  const signature = one(SIGNED_HEADER_SIGNATURE);
  if (!wallet || !timestamp || !signature) {
    throw new AsixError("UNAUTHORIZED", `missing signed headers (${SIGNED_HEADER_WALLET}, ${SIGNED_HEADER_TIMESTAMP}, ${SIGNED_HEADER_SIGNATURE})`);
  }
  const ts = Number(timestamp);
  if (!Number.isSafeInteger(ts)) throw new AsixError("UNAUTHORIZED", "signed timestamp is not a number");
  if (Math.abs(now - ts) > REQUEST_SIGNATURE_MAX_AGE_MS) {
    throw new AsixError("UNAUTHORIZED", "request signature expired (older than 5 minutes)");
  }
  const signer = recoverDataSigner({ purpose: "asix-request", timestamp: ts }, signature);
  if (!signer || signer.toLowerCase() !== wallet.toLowerCase()) {
    throw new AsixError("UNAUTHORIZED", "request signature does not match the wallet header");
  }
  return signer;
}

// ---- stream signatures (discovery node → content node) ---------------------------------------

/** A stream signature is refused when older than this. */
export const STREAM_SIGNATURE_MAX_AGE_MS = 48 * 60 * 60 * 1000;

export interface StreamSignatureData {
  cid: string;
  /** ms since epoch */
  timestamp: number;
  /** optional: the track the stream is for, so plays can be counted */
  trackId?: number;
}

/** The `signature` query parameter of /tracks/cidstream: JSON `{data, signature}`. */
export async function signStreamAccess(signer: Signer | Wallet, data: StreamSignatureData): Promise<string> {
  const signature = await signData(signer, data);
  return JSON.stringify({ data: canonicalJson(data), signature });
}

/**
 * Verify a stream signature for `cid`: it must parse, be signed by one of `allowedSigners`, name
 * this CID and be younger than 48 h. Returns the data; throws UNAUTHORIZED otherwise.
 */
export function verifyStreamAccess(
  param: unknown,
  cid: string,
  allowedSigners: Iterable<string>,
  now = Date.now(),
): StreamSignatureData {
  if (typeof param !== "string" || param.length === 0) throw new AsixError("UNAUTHORIZED", "missing stream signature");
  let envelope: { data?: unknown; signature?: unknown };
  let data: StreamSignatureData;
  try {
    envelope = JSON.parse(param);
    data = JSON.parse(String(envelope.data));
  } catch {
    throw new AsixError("UNAUTHORIZED", "stream signature is not valid JSON");
  }
  if (typeof envelope.signature !== "string" || typeof data?.cid !== "string" || typeof data.timestamp !== "number") {
    throw new AsixError("UNAUTHORIZED", "stream signature is malformed");
  }
  const signer = recoverDataSigner(data, envelope.signature);
  const allowed = new Set([...allowedSigners].map((a) => a.toLowerCase()));
  if (!signer || !allowed.has(signer.toLowerCase())) {
    throw new AsixError("UNAUTHORIZED", "stream signature is not from a registered discovery node");
  }
  if (data.cid !== cid) throw new AsixError("UNAUTHORIZED", "stream signature is for another CID");
  if (now - data.timestamp > STREAM_SIGNATURE_MAX_AGE_MS) throw new AsixError("UNAUTHORIZED", "stream signature expired (older than 48 h)");
  return data;
}

// ---- social verification start (user wallet → identity service) ------------------------------

/** What the user's wallet signs to start social verification (EIP-191 over canonical JSON). */
export function verificationStartData(userId: number, timestamp: number) {
  return { purpose: "asix-verify", userId, timestamp };
}
