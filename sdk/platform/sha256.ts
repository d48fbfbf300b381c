import { createHash } from "node:crypto";

/**
 * sha256 over parts, in Node: the native hash (CID computation hashes every byte of every upload,
 * several times faster than JavaScript). The browser build maps this to ./sha256.browser.
 */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
}
