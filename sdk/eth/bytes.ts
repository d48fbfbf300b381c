import { keccak_256 } from "../platform/noble";

/**
 * The Ethereum byte plumbing the SDK's hot paths need (hex, keccak, EIP-55 addresses), on
 * @noble/hashes: ethers costs about 0.4 s to load, which an app pays on every start; noble is a
 * few milliseconds, audited, and runs in browsers. ethers stays for contracts and providers.
 */

const encoder = new TextEncoder();
export const utf8Bytes = (text: string): Uint8Array => encoder.encode(text);

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function bytesToHex(bytes: Uint8Array): string {
  let out = "0x";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

export function isHex(value: unknown, bytes?: number): value is string {
  if (typeof value !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(value)) return false;
  return bytes === undefined || value.length === 2 + 2 * bytes;
}

/** Bytes of a 0x hex string; throws on anything else (callers turn that into their own error). */
export function hexToBytes(hex: string): Uint8Array {
  if (!isHex(hex)) throw new TypeError(`not a 0x hex string of whole bytes: ${String(hex).slice(0, 20)}`);
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const keccak256Bytes = (data: Uint8Array): Uint8Array => keccak_256(data);
/** keccak256 of bytes, as 0x hex (ethers' `keccak256`). */
export const keccak256 = (data: Uint8Array): string => bytesToHex(keccak_256(data));
/** keccak256 of UTF-8 text (ethers' `id`). */
export const id = (text: string): string => keccak256(utf8Bytes(text));

/** Cryptographically random bytes from WebCrypto (Node 20 and browsers alike). */
export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

export function isAddress(value: unknown): value is string {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value)) return false;
  // Mixed case must be a valid EIP-55 checksum; all-lower or all-upper carries none.
  const body = value.slice(2);
  return body === body.toLowerCase() || body === body.toUpperCase() || toChecksumAddress(value) === value;
}

/** The EIP-55 checksummed form of a 20-byte hex address (ethers' `getAddress` for valid input). */
export function toChecksumAddress(address: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new TypeError(`not an address: ${address}`);
  const lower = address.slice(2).toLowerCase();
  const hash = keccak_256(utf8Bytes(lower));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    out += nibble >= 8 ? lower[i].toUpperCase() : lower[i];
  }
  return out;
}

/** Text as a bytes32 word: UTF-8, right-padded with zeros (ethers' encodeBytes32String); at most 31 bytes. */
export function bytes32String(text: string): string {
  const bytes = utf8Bytes(text);
  if (bytes.length > 31) throw new RangeError(`"${text}" is longer than 31 bytes`);
  const out = new Uint8Array(32);
  out.set(bytes);
  return bytesToHex(out);
}
