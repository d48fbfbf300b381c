import { scryptAsync } from "@noble/hashes/scrypt";

/** scrypt in browsers: @noble/hashes (audited, no WebCrypto equivalent exists). Same bytes as ./scrypt. */
export function scrypt(password: string, salt: string, params: { N: number; r: number; p: number; keyLength: number }): Promise<Uint8Array> {
  const { N, r, p, keyLength } = params;
  return scryptAsync(password, salt, { N, r, p, dkLen: keyLength });
}
