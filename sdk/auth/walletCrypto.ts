import { bytesToHex, hexToBytes, randomBytes, utf8Bytes } from "../eth/bytes";
import { scrypt as platformScrypt } from "../platform/scrypt";
import { AsixError } from "../errors";

/**
 * Client-side wallet encryption. Two independent keys come from email + password, each by scrypt
 * with its own domain-separated salt:
 *   - the encryption key (AES-256-GCM over the wallet's BIP-39 entropy), which never leaves the client;
 *   - the lookup key, under which the identity service stores the ciphertext.
 * Knowing the lookup key tells nothing about the encryption key, so the service, which sees only
 * the lookup key, the IV and the ciphertext, can decrypt nothing.
 */

/**
 * scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB of memory, about 0.1 s per derivation on a laptop),
 * 32-byte output. Changing these changes every derived key: existing wallets would no longer open.
 */
export const WALLET_SCRYPT = {
  /** CPU/memory cost, 2^15 */
  N: 2 ** 15,
  /** block size */
  r: 8,
  /** parallelism */
  p: 1,
  /** derived key length in bytes */
  keyLength: 32,
} as const;

const ENCRYPTION_SALT_DOMAIN = "asix-wallet-encryption-key-v1";
const LOOKUP_SALT_DOMAIN = "asix-wallet-lookup-key-v1";
/** bound into the GCM tag, so a ciphertext made for anything else never decrypts as a wallet */
const AAD = utf8Bytes("asix-wallet-entropy-v1");

/** The two keys derived (scrypt) from an email and password: one to find the wallet, one to open it. */
export interface CredentialKeys {
  /** AES-256 key; stays on the client */
  encryptionKey: Uint8Array;
  /** hex; the identity service's index for this wallet */
  lookupKey: string;
}

/** A sealed wallet as the identity service stores it: hex IV and hex ciphertext with its GCM tag. */
export interface EncryptedWallet {
  /** 12-byte GCM IV, hex */
  iv: string;
  /** ciphertext followed by the 16-byte GCM tag, hex */
  cipherText: string;
}

/**
 * An email address as the identity service stores it: one @, no whitespace and no control
 * characters (a NUL or an escape sequence in a stored email would reach logs and mail headers),
 * at most 64 characters before the @ and 255 after.
 */
const EMAIL_ADDRESS = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}]{1,255}$/u;

/** Whether `email` (before trimming) is an email address the identity service accepts. */
export function isEmailAddress(email: unknown): email is string {
  return typeof email === "string" && EMAIL_ADDRESS.test(email.trim());
}

/** The email as the wallet's keys are derived from it: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function scrypt(password: string, salt: string): Promise<Uint8Array> {
  return platformScrypt(password.normalize("NFKC"), salt, WALLET_SCRYPT);
}

// AES-256-GCM through WebCrypto, which Node 20 and browsers both have: the same ciphertext
// (iv ‖ body ‖ 16-byte tag, with the AAD) that node:crypto's cipher produced.
const subtle = () => globalThis.crypto.subtle;
const aesKey = (raw: Uint8Array, use: "encrypt" | "decrypt") => subtle().importKey("raw", raw, { name: "AES-GCM" }, false, [use]);

/** Both keys for a pair of credentials (the two scrypt runs go in parallel on libuv's pool). */
export async function deriveCredentialKeys(email: string, password: string): Promise<CredentialKeys> {
  const who = normalizeEmail(email);
  const [encryptionKey, lookup] = await Promise.all([
    scrypt(password, `${ENCRYPTION_SALT_DOMAIN}:${who}`),
    scrypt(password, `${LOOKUP_SALT_DOMAIN}:${who}`),
  ]);
  return { encryptionKey, lookupKey: bytesToHex(lookup).slice(2) };
}

/** Seal a wallet's entropy under the encryption key: AES-256-GCM (WebCrypto) with a fresh 12-byte IV. */
export async function encryptWalletEntropy(encryptionKey: Uint8Array, entropy: Uint8Array, iv: Uint8Array = randomBytes(12)): Promise<EncryptedWallet> {
  const body = new Uint8Array(await subtle().encrypt({ name: "AES-GCM", iv, additionalData: AAD, tagLength: 128 }, await aesKey(encryptionKey, "encrypt"), entropy));
  return { iv: bytesToHex(iv).slice(2), cipherText: bytesToHex(body).slice(2) };
}

/** The wallet entropy, or INVALID_CREDENTIALS when the key does not open this ciphertext. */
export async function decryptWalletEntropy(encryptionKey: Uint8Array, encrypted: EncryptedWallet): Promise<Uint8Array> {
  try {
    const iv = hexToBytes(`0x${encrypted?.iv}`);
    const body = hexToBytes(`0x${encrypted?.cipherText}`);
    if (iv.length !== 12 || body.length < 17) throw new Error("malformed wallet ciphertext");
    return new Uint8Array(await subtle().decrypt({ name: "AES-GCM", iv, additionalData: AAD, tagLength: 128 }, await aesKey(encryptionKey, "decrypt"), body));
  } catch (cause) {
    throw invalidCredentials(cause);
  }
}

/** The one answer for an unknown email and for a wrong password alike. */
export function invalidCredentials(cause?: unknown): AsixError {
  return new AsixError("INVALID_CREDENTIALS", "email or password is incorrect", cause === undefined ? {} : { cause });
}
