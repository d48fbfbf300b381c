import { keccak_256 as keccak } from "@noble/hashes/sha3";
import { secp256k1 as curve } from "@noble/curves/secp256k1";

/** keccak-256 and secp256k1 in browsers: imported statically, for bundlers; the same API as ./noble. */
export const keccak_256 = (data: Uint8Array): Uint8Array => keccak(data);

export const secp256k1 = () => curve;
