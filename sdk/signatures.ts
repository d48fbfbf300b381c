import type { Signer, Wallet } from "ethers";
import { bytesToHex, id, randomBytes, toChecksumAddress } from "./eth/bytes";
import { verifyMessage } from "./eth/keys";
import { AsixError } from "./errors";

/**
 * Signed envelopes that nodes and clients exchange off chain (EIP-191 personal_sign over a
 * canonical JSON string). One home for them all: upload request headers, the discovery node's
 * stream signature, content nodes' requests to each other, and the signature on every /health_check.
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

/** Sign the canonical JSON of `data` as a personal message (EIP-191). */
export async function signData(signer: Signer | Wallet, data: unknown): Promise<string> {
  return signer.signMessage(canonicalJson(data));
}

/** The address that signed `data`, or undefined when the signature is malformed. */
export function recoverDataSigner(data: unknown, signature: string): string | undefined {
  try {
    return toChecksumAddress(verifyMessage(canonicalJson(data), signature));
  } catch {
    return undefined;
  }
}

// ---- upload request headers ------------------------------------------------------------------

/** Header of a signed request: the wallet that claims to sign it. */
export const SIGNED_HEADER_WALLET = "x-asix-wallet";
/** Header of a signed request: when it was signed (ms since epoch). */
export const SIGNED_HEADER_TIMESTAMP = "x-asix-timestamp";
/** Header of a signed request: a random nonce, so a signature is used once. */
export const SIGNED_HEADER_NONCE = "x-asix-nonce";
/** Header of a signed request: the wallet's signature over timestamp and nonce. */
export const SIGNED_HEADER_SIGNATURE = "x-asix-signature";
/** Signed request headers older (or newer) than this are refused. */
export const REQUEST_SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

/** What a request signature covers: a timestamp and a fresh nonce, so each header set is good for one request. */
export function requestSignatureData(timestamp: number, nonce: string) {
  return {
    /** binds the signature to request headers, so no other signed message passes for one */
    purpose: "asix-request",
    /** when the headers were signed (ms since epoch) */
    timestamp,
    /** the random nonce of the `x-asix-nonce` header */
    nonce,
  };
}

/** Headers that prove the caller holds its wallet, for one request: a signature over a timestamp and a nonce. */
export async function signRequestHeaders(signer: Signer, now = Date.now()): Promise<Record<string, string>> {
  const wallet = await signer.getAddress();
  const nonce = bytesToHex(randomBytes(16));
  const signature = await signData(signer, requestSignatureData(now, nonce));
  return {
    [SIGNED_HEADER_WALLET]: wallet,
    [SIGNED_HEADER_TIMESTAMP]: String(now),
    [SIGNED_HEADER_NONCE]: nonce,
    [SIGNED_HEADER_SIGNATURE]: signature,
  };
}

/** A verified request signature. A server refuses a second request with the same `replayKey` until `expiresAt`. */
export interface SignedRequest {
  /** the wallet that signed (checksummed) */
  signer: string;
  /** signer and signed data: the same for any encoding of the same signature */
  replayKey: string;
  /** ms since epoch; after this the signature is refused as expired anyway */
  expiresAt: number;
}

type HeaderBag = Record<string, string | string[] | undefined>;
const headerOf = (headers: HeaderBag, name: string) => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Whether a request tries to sign at all (any of the signed headers present). */
export function hasSignedRequestHeaders(headers: HeaderBag): boolean {
  return [SIGNED_HEADER_WALLET, SIGNED_HEADER_TIMESTAMP, SIGNED_HEADER_NONCE, SIGNED_HEADER_SIGNATURE].some((h) => headerOf(headers, h) !== undefined);
}

/** Check signed request headers; returns the proven wallet and the request's replay key, or throws UNAUTHORIZED. */
export function verifyRequestHeaders(headers: HeaderBag, now = Date.now()): SignedRequest {
  const wallet = headerOf(headers, SIGNED_HEADER_WALLET);
  const timestamp = headerOf(headers, SIGNED_HEADER_TIMESTAMP);
  const nonce = headerOf(headers, SIGNED_HEADER_NONCE);
  const signature = headerOf(headers, SIGNED_HEADER_SIGNATURE);
  if (!wallet || !timestamp || !nonce || !signature) {
    throw new AsixError(
      "UNAUTHORIZED",
      `missing signed headers (${SIGNED_HEADER_WALLET}, ${SIGNED_HEADER_TIMESTAMP}, ${SIGNED_HEADER_NONCE}, ${SIGNED_HEADER_SIGNATURE})`,
    );
  }
  const ts = Number(timestamp);
  if (!Number.isSafeInteger(ts)) throw new AsixError("UNAUTHORIZED", "signed timestamp is not a number");
  if (Math.abs(now - ts) > REQUEST_SIGNATURE_MAX_AGE_MS) {
    throw new AsixError("UNAUTHORIZED", "request signature expired (older than 5 minutes)");
  }
  if (!/^0x[0-9a-f]{16,64}$/i.test(nonce)) throw new AsixError("UNAUTHORIZED", "signed nonce must be 0x and 16 to 64 hex digits");
  const data = requestSignatureData(ts, nonce.toLowerCase());
  const signer = recoverDataSigner(data, signature);
  if (!signer || signer.toLowerCase() !== wallet.toLowerCase()) {
    throw new AsixError("UNAUTHORIZED", "request signature does not match the wallet header");
  }
  return { signer, replayKey: id(`${signer.toLowerCase()}:${canonicalJson(data)}`), expiresAt: ts + REQUEST_SIGNATURE_MAX_AGE_MS };
}

// ---- stream signatures (discovery node → content node) ---------------------------------------

/** A stream signature is refused when older than this, whatever it says. */
export const STREAM_SIGNATURE_MAX_AGE_MS = 48 * 60 * 60 * 1000;
/** How long a discovery node's stream signature is valid: long enough to play and seek one track. */
export const STREAM_SIGNATURE_TTL_MS = 60 * 60 * 1000;

/** What a discovery node's stream signature grants: one CID, for a while. */
export interface StreamSignatureData {
  /** the CID it grants */
  cid: string;
  /** ms since epoch */
  timestamp: number;
  /** optional: the track the stream is for, so plays can be counted */
  trackId?: number;
  /** random and unique per signature: a play is counted at most once per nonce (filled in when absent) */
  nonce?: string;
  /** ms since epoch after which the signature is refused (default timestamp + STREAM_SIGNATURE_TTL_MS) */
  expiresAt?: number;
  /** the address that asked the discovery node for the stream, for per-IP play limits */
  ip?: string;
  /** the listener's user id, when the stream request named one, for per-listener play limits */
  userId?: number;
}

/** A verified stream signature: what it says, who signed it, and the parameter as received. */
export interface StreamAccess {
  /** what the signature grants */
  data: StreamSignatureData;
  /** the discovery node's wallet that signed it */
  signer: string;
  /** the signature parameter as received */
  param: string;
}

/** The `signature` query parameter of /tracks/cidstream: JSON `{data, signature}`. */
export async function signStreamAccess(signer: Signer | Wallet, data: StreamSignatureData): Promise<string> {
  const full: StreamSignatureData = {
    ...data,
    nonce: data.nonce ?? bytesToHex(randomBytes(16)).slice(2),
    expiresAt: data.expiresAt ?? data.timestamp + STREAM_SIGNATURE_TTL_MS,
  };
  const signature = await signData(signer, full);
  return JSON.stringify({ data: canonicalJson(full), signature });
}

/**
 * Verify a stream signature for `cid`: it must parse, be signed by one of `allowedSigners`, name
 * this CID, be younger than 48 h and not past its `expiresAt`. Returns what it says and who signed
 * it; throws UNAUTHORIZED otherwise.
 */
export function verifyStreamSignature(param: unknown, cid: string, allowedSigners: Iterable<string>, now = Date.now()): StreamAccess {
  if (typeof param !== "string" || param.length === 0) throw new AsixError("UNAUTHORIZED", "missing stream signature");
  let envelope: { data?: unknown; signature?: unknown };
  let data: StreamSignatureData;
  try {
    envelope = JSON.parse(param);
    data = JSON.parse(String(envelope.data));
  } catch {
    throw new AsixError("UNAUTHORIZED", "stream signature is not valid JSON");
  }
  if (
    typeof envelope.signature !== "string" ||
    typeof data?.cid !== "string" ||
    typeof data.timestamp !== "number" ||
    (data.expiresAt !== undefined && typeof data.expiresAt !== "number") ||
    (data.nonce !== undefined && typeof data.nonce !== "string")
  ) {
    throw new AsixError("UNAUTHORIZED", "stream signature is malformed");
  }
  const signer = recoverDataSigner(data, envelope.signature);
  const allowed = new Set([...allowedSigners].map((a) => a.toLowerCase()));
  if (!signer || !allowed.has(signer.toLowerCase())) {
    throw new AsixError("UNAUTHORIZED", "stream signature is not from a registered discovery node");
  }
  if (data.cid !== cid) throw new AsixError("UNAUTHORIZED", "stream signature is for another CID");
  if (now - data.timestamp > STREAM_SIGNATURE_MAX_AGE_MS) throw new AsixError("UNAUTHORIZED", "stream signature expired (older than 48 h)");
  if (data.expiresAt !== undefined && now > data.expiresAt) throw new AsixError("UNAUTHORIZED", "stream signature expired");
  return { data, signer, param };
}

/** `verifyStreamSignature`, returning only what the signature says. */
export function verifyStreamAccess(param: unknown, cid: string, allowedSigners: Iterable<string>, now = Date.now()): StreamSignatureData {
  return verifyStreamSignature(param, cid, allowedSigners, now).data;
}

// ---- peer requests (content node → content node) --------------------------------------------
/** Header that carries a content node's signature on a request to a peer. */
export const PEER_HEADER_SIGNATURE = "x-asix-peer-signature";
/** A signed peer request is refused when its timestamp is further than this from the receiver's clock. */
export const PEER_SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

/** What a content node signs for each request to a peer: the request, the peer it is for, a nonce. */
export interface PeerRequestData {
  /** binds the signature to peer requests, so no other signed message passes for one */
  purpose: "asix-peer";
  /** the request's HTTP method, upper-case */
  method: string;
  /** the request URL's path */
  path: string;
  /** the receiving node's origin, so a request signed for one peer is refused by another */
  to: string;
  /** when it was signed (ms since epoch) */
  timestamp: number;
  /** 32 random hex digits; the receiver refuses one it has seen */
  nonce: string;
}

const originOf = (url: string) => new URL(url).origin.toLowerCase();

/** Headers for one request from a content node's delegate wallet to a peer (`url` is the full request URL). */
export async function signPeerRequest(signer: Signer | Wallet, method: string, url: string, now = Date.now()): Promise<Record<string, string>> {
  const u = new URL(url);
  const data: PeerRequestData = { purpose: "asix-peer", method: method.toUpperCase(), path: u.pathname, to: originOf(url), timestamp: now, nonce: bytesToHex(randomBytes(16)).slice(2) };
  return { [PEER_HEADER_SIGNATURE]: JSON.stringify({ data, signature: await signData(signer, data) }) };
}

/**
 * Check a peer request's signature against this request (method, path, this node's origin) and
 * the clock. Returns the signer and the nonce; the caller checks that the signer is a registered
 * content node and that the nonce is new. Throws UNAUTHORIZED otherwise. A request signed with a
 * peer session key (signPeerSessionRequest) is checked against its certificate, which `sessions`
 * remembers once verified, so a node pays for one secp256k1 recovery per peer session, not per request.
 */
export function verifyPeerRequest(header: unknown, method: string, path: string, self: string, now = Date.now(), sessions?: PeerSessionCache): {
  /** the address that signed the request (for a session request, the certificate's signer) */
  signer: string;
  /** what was signed */
  data: PeerRequestData;
} {
  if (typeof header !== "string" || header.length === 0) throw new AsixError("UNAUTHORIZED", `missing ${PEER_HEADER_SIGNATURE} header`);
  let envelope: { data?: PeerRequestData; signature?: unknown; session?: unknown };
  try {
    envelope = JSON.parse(header);
  } catch {
    throw new AsixError("UNAUTHORIZED", "peer signature is not valid JSON");
  }
  const data = envelope.data;
  if (
    typeof envelope.signature !== "string" ||
    !data ||
    data.purpose !== "asix-peer" ||
    typeof data.timestamp !== "number" ||
    typeof data.nonce !== "string" ||
    !/^[0-9a-f]{32}$/.test(data.nonce)
  ) {
    throw new AsixError("UNAUTHORIZED", "peer signature is malformed");
  }
  if (data.method !== method.toUpperCase() || data.path !== path || data.to !== originOf(self)) {
    throw new AsixError("UNAUTHORIZED", "peer signature is for another request");
  }
  if (Math.abs(now - data.timestamp) > PEER_SIGNATURE_MAX_AGE_MS) throw new AsixError("UNAUTHORIZED", "peer signature expired");
  if (envelope.session !== undefined) {
    const session = (sessions ?? new PeerSessionCache()).verify(envelope.session, now);
    if (data.timestamp > session.expiresAt) throw new AsixError("UNAUTHORIZED", "peer session expired");
    let verified = false;
    try {
      verified = nodeCrypto().verify(null, Buffer.from(canonicalJson(data)), session.key, hexBytes(envelope.signature));
    } catch {
      // a signature of the wrong length: refused below like any other that does not verify
    }
    if (!verified) throw new AsixError("UNAUTHORIZED", "peer signature does not verify");
    return { signer: session.signer, data };
  }
  const signer = recoverDataSigner(data, envelope.signature);
  if (!signer) throw new AsixError("UNAUTHORIZED", "peer signature does not verify");
  return { signer, data };
}

// ---- peer sessions (a content node's short-lived request key) --------------------------------

/**
 * What a content node's delegate wallet signs to hand its peer requests to a short-lived Ed25519
 * key for a few minutes. Each request is still signed, for that request, that peer and with a
 * fresh nonce (PeerRequestData), but by the session key: an Ed25519 signature costs tens of
 * microseconds where a secp256k1 recovery in JavaScript costs milliseconds.
 */
export interface PeerSessionData {
  /** binds the signature to peer sessions, so no other signed message passes for one */
  purpose: "asix-peer-session";
  /** the session's Ed25519 public key: its 32 bytes, base64url */
  key: string;
  /** when it was signed (ms since epoch) */
  timestamp: number;
  /** requests signed after this (ms since epoch) are refused; at most PEER_SESSION_MAX_MS after `timestamp` */
  expiresAt: number;
}

/** The longest a peer session may last. */
export const PEER_SESSION_MAX_MS = 10 * 60 * 1000;

/** A session key with its certificate (the wallet's signature over PeerSessionData). Node only. */
export interface PeerSession {
  /** shown to peers */ certificate: PeerSessionCertificate;
  /** the session's Ed25519 private key, which signs each request; never sent */ privateKey: import("node:crypto").KeyObject;
}
/** A session and its wallet's signature over it (signData). */
export interface PeerSessionCertificate {
  /** the certified session */ data: PeerSessionData;
  /** the wallet's signature over `data` */ signature: string;
}
/** A certificate checked once: who certified the session, its public key, and until when it holds. */
export interface VerifiedPeerSession {
  /** the wallet that signed the certificate */ signer: string;
  /** the session's Ed25519 public key */ key: import("node:crypto").KeyObject;
  /** ms since epoch */ expiresAt: number;
}

const nodeCrypto = () => process.getBuiltinModule("node:crypto");
const hexBytes = (hex: string) => Buffer.from(/^(0x)?[0-9a-fA-F]*$/.test(hex) ? hex.replace(/^0x/, "") : "", "hex");

/** A new Ed25519 key certified by `signer` (a content node's delegate wallet) for `lifetimeMs`. Node only. */
export async function openPeerSession(signer: Signer | Wallet, lifetimeMs = 5 * 60 * 1000, now = Date.now()): Promise<PeerSession> {
  const { publicKey, privateKey } = nodeCrypto().generateKeyPairSync("ed25519");
  const data: PeerSessionData = { purpose: "asix-peer-session", key: String(publicKey.export({ format: "jwk" }).x), timestamp: now, expiresAt: now + Math.min(lifetimeMs, PEER_SESSION_MAX_MS) };
  return { certificate: { data, signature: await signData(signer, data) }, privateKey };
}

/** Headers for one request to a peer, signed with a session key (verifyPeerRequest checks them). Node only. */
export function signPeerSessionRequest(session: PeerSession, method: string, url: string, now = Date.now()): Record<string, string> {
  const u = new URL(url);
  const data: PeerRequestData = { purpose: "asix-peer", method: method.toUpperCase(), path: u.pathname, to: originOf(url), timestamp: now, nonce: bytesToHex(randomBytes(16)).slice(2) };
  const signature = nodeCrypto().sign(null, Buffer.from(canonicalJson(data)), session.privateKey).toString("hex");
  return { [PEER_HEADER_SIGNATURE]: JSON.stringify({ data, signature, session: session.certificate }) };
}

/**
 * Peer session certificates this node has verified, by their exact data and signature: the
 * recovery of the signer is what it saves, and it is a pure function of those. The expiry and
 * every per-request check are made again on each use. Bounded; expired entries go first.
 */
export class PeerSessionCache {
  private readonly verified = new Map<string, VerifiedPeerSession>();
  constructor(private readonly maxEntries = 1024) {}

  /** The session a certificate proves, or UNAUTHORIZED. */
  verify(certificate: unknown, now = Date.now()): VerifiedPeerSession {
    const { data, signature } = (certificate ?? {}) as { data?: PeerSessionData; signature?: unknown };
    if (
      typeof signature !== "string" ||
      !data ||
      data.purpose !== "asix-peer-session" ||
      typeof data.key !== "string" ||
      !/^[A-Za-z0-9_-]{43}$/.test(data.key) ||
      typeof data.timestamp !== "number" ||
      typeof data.expiresAt !== "number" ||
      !(data.expiresAt > data.timestamp && data.expiresAt - data.timestamp <= PEER_SESSION_MAX_MS)
    ) {
      throw new AsixError("UNAUTHORIZED", "peer session is malformed");
    }
    if (now > data.expiresAt || now < data.timestamp - PEER_SIGNATURE_MAX_AGE_MS) throw new AsixError("UNAUTHORIZED", "peer session expired");
    const id = `${signature}:${canonicalJson(data)}`;
    const known = this.verified.get(id);
    if (known) return known;
    const signer = recoverDataSigner(data, signature);
    if (!signer) throw new AsixError("UNAUTHORIZED", "peer session signature does not verify");
    const key = nodeCrypto().createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: data.key }, format: "jwk" });
    if (this.verified.size >= this.maxEntries) {
      for (const [k, v] of this.verified) if (v.expiresAt < now) this.verified.delete(k);
      if (this.verified.size >= this.maxEntries) this.verified.delete(this.verified.keys().next().value!);
    }
    const session = { signer, key, expiresAt: data.expiresAt };
    this.verified.set(id, session);
    return session;
  }
}

// ---- social verification start (user wallet → identity service) ------------------------------

/** What the user's wallet signs to start social verification (EIP-191 over canonical JSON). */
export function verificationStartData(userId: number, timestamp: number) {
  return {
    /** binds the signature to starting social verification */
    purpose: "asix-verify",
    /** the user who asks to be verified */
    userId,
    /** when it was signed (ms since epoch) */
    timestamp,
  };
}
