import { sha256 as nobleSha256 } from "@noble/hashes/sha256";

/** sha256 over parts in browsers (@noble/hashes); the same bytes as ./sha256. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = nobleSha256.create();
  for (const part of parts) hash.update(part);
  return hash.digest();
}
