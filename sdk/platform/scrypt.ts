import type * as NodeCrypto from "node:crypto";

let crypto: typeof NodeCrypto | undefined;

/**
 * scrypt in Node: the native one, on libuv's pool (several times faster than JavaScript). The
 * browser build maps this module to ./scrypt.browser (package.json "browser"); both give the same
 * bytes for the same input, which test/sdk/walletCrypto.test.ts checks. node:crypto is fetched on
 * first use: loading it with the SDK's entry costs every app start milliseconds.
 */
export function scrypt(password: string, salt: string, params: { N: number; r: number; p: number; keyLength: number }): Promise<Uint8Array> {
  const { N, r, p, keyLength } = params;
  return new Promise((resolve, reject) =>
    (crypto ??= process.getBuiltinModule("node:crypto")).scrypt(password, salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (err, key) => (err ? reject(err) : resolve(new Uint8Array(key)))),
  );
}
