import type * as NodeCrypto from "node:crypto";

let crypto: typeof NodeCrypto | undefined;

/**
 * sha256 over parts, in Node: the native hash (CID computation hashes every byte of every upload,
 * several times faster than JavaScript). node:crypto is fetched on first use, not imported:
 * loading it costs every app start milliseconds that reads never need. The
 * browser build maps this to ./sha256.browser.
 */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = (crypto ??= process.getBuiltinModule("node:crypto")).createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
}
