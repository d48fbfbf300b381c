import { secp256k1 } from "../platform/noble";
import { bytesToHex, concatBytes, hexToBytes, isHex, keccak256Bytes, toChecksumAddress, utf8Bytes } from "./bytes";

/**
 * secp256k1 keys, signatures and recovery on @noble/curves, as ethers does them (ethers uses the
 * same library underneath): RFC 6979 deterministic low-s signatures, `r ‖ s ‖ v` with v 27/28, so
 * a signature here is byte-identical to ethers' for the same key and digest.
 */


/** A 32-byte private key from 0x hex, or a TypeError (the caller words the user-facing error). */
export function privateKeyBytes(key: string): Uint8Array {
  const hex = key.startsWith("0x") ? key : `0x${key}`;
  if (!isHex(hex, 32)) throw new TypeError("a private key is 32 bytes of hex");
  const k = BigInt(hex);
  if (k === 0n || k >= secp256k1().CURVE.n) throw new TypeError("private key out of range");
  return hexToBytes(hex);
}

export function addressOfPublicKey(uncompressed: Uint8Array): string {
  return toChecksumAddress(bytesToHex(keccak256Bytes(uncompressed.subarray(1)).subarray(12)));
}

export function addressOfPrivateKey(key: Uint8Array): string {
  return addressOfPublicKey(secp256k1().getPublicKey(key, false));
}

/** Sign a 32-byte digest: 0x r ‖ s ‖ v (65 bytes, v 27 or 28). */
export function signDigest(key: Uint8Array, digest: Uint8Array): string {
  const sig = secp256k1().sign(digest, key, { lowS: true });
  return bytesToHex(concatBytes(sig.toCompactRawBytes(), Uint8Array.of(27 + sig.recovery)));
}

/**
 * The checksummed address that signed `digest`. Accepts 65-byte `r ‖ s ‖ v` (v 0/1/27/28) and
 * 64-byte EIP-2098 compact signatures, refuses an s with its top bit set, like ethers. Throws a
 * TypeError for anything malformed.
 */
export function recoverAddress(digest: Uint8Array, signature: string): string {
  const bytes = hexToBytes(signature);
  let rs: Uint8Array;
  let recovery: number;
  if (bytes.length === 65) {
    const v = bytes[64];
    if (v !== 0 && v !== 1 && v !== 27 && v !== 28) throw new TypeError("invalid signature v");
    recovery = v >= 27 ? v - 27 : v;
    if (bytes[32] & 0x80) throw new TypeError("non-canonical s");
    rs = bytes.subarray(0, 64);
  } else if (bytes.length === 64) {
    recovery = bytes[32] & 0x80 ? 1 : 0;
    rs = bytes.slice(0, 64);
    rs[32] &= 0x7f;
  } else {
    throw new TypeError("a signature is 64 or 65 bytes");
  }
  const point = secp256k1().Signature.fromCompact(rs).addRecoveryBit(recovery).recoverPublicKey(digest);
  return addressOfPublicKey(point.toRawBytes(false));
}

/** EIP-191 personal-message digest (ethers' `hashMessage`). */
export function hashMessage(message: string | Uint8Array): Uint8Array {
  const bytes = typeof message === "string" ? utf8Bytes(message) : message;
  return keccak256Bytes(concatBytes(utf8Bytes(`\x19Ethereum Signed Message:\n${bytes.length}`), bytes));
}

/** The address that signed an EIP-191 message (ethers' `verifyMessage`); throws on a malformed signature. */
export function verifyMessage(message: string | Uint8Array, signature: string): string {
  return recoverAddress(hashMessage(message), signature);
}
