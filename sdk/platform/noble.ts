import type * as Sha3 from "@noble/hashes/sha3";
import type * as Secp256k1 from "@noble/curves/secp256k1";

/**
 * keccak-256 and secp256k1 (noble), loaded on first use in Node. Importing them costs every app
 * start tens of milliseconds (noble's modules, their node:crypto, the curve's setup), which the
 * SDK's entry must not pay: most apps read before they ever hash or sign, and many never do.
 * Loaded synchronously, because the callers (addresses, digests, signatures) are synchronous:
 * with a require made for this module (in the ESM build too: noble ships CommonJS as well). Browsers get ./noble.browser
 * (package.json "browser"), which imports them statically for bundlers to include.
 */

function nodeRequire(): (id: string) => unknown {
  // This module's own location, for resolving noble from the SDK package: __filename in the
  // CommonJS build, import.meta.url in the ESM build (esbuild would shim a bare `require` there).
  // @ts-expect-error import.meta is only reached in the ESM build (sources are compiled as CommonJS).
  const here: string = typeof __filename === "string" ? __filename : import.meta.url;
  return process.getBuiltinModule("node:module").createRequire(here);
}

let sha3: typeof Sha3 | undefined;
let curve: typeof Secp256k1 | undefined;

export const keccak_256 = (data: Uint8Array): Uint8Array => (sha3 ??= nodeRequire()("@noble/hashes/sha3") as typeof Sha3).keccak_256(data);

export const secp256k1 = (): (typeof Secp256k1)["secp256k1"] => (curve ??= nodeRequire()("@noble/curves/secp256k1") as typeof Secp256k1).secp256k1;
