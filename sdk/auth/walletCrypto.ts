import crypto from "node:crypto";
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
export const WALLET_SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;

const ENCRYPTION_SALT_DOMAIN = "asix-wallet-encryption-key-v1";
const LOOKUP_SALT_DOMAIN = "asix-wallet-lookup-key-v1";
/** bound into the GCM tag, so a ciphertext made for anything else never decrypts as a wallet */
const AAD = Buffer.from("asix-wallet-entropy-v1");

/** The two keys derived from an email and password: one encrypts the wallet here, one names its ciphertext at the identity service. */
export interface CredentialKeys {
  /** AES-256 key; stays on the client */
  encryptionKey: Buffer;
  /** hex; the identity service's index for this wallet */
  lookupKey: string;
}

/** A wallet's entropy sealed with AES-256-GCM: what the identity service stores. */
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

/** The one form of an email that keys are derived from: trimmed and lower case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function scrypt(password: string, salt: string): Promise<Buffer> {
  const { N, r, p, keyLength } = WALLET_SCRYPT;
  return new Promise((resolve, reject) =>
    crypto.scrypt(password.normalize("NFKC"), salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Both keys for a pair of credentials (the two scrypt runs go in parallel on libuv's pool). */
export async function deriveCredentialKeys(email: string, password: string): Promise<CredentialKeys> {
  const who = normalizeEmail(email);
  const [encryptionKey, lookup] = await Promise.all([
    scrypt(password, `${ENCRYPTION_SALT_DOMAIN}:${who}`),
    scrypt(password, `${LOOKUP_SALT_DOMAIN}:${who}`),
  ]);
  return { encryptionKey, lookupKey: lookup.toString("hex") };
}

/** Seal a wallet's entropy under the encryption key (AES-256-GCM with a fresh IV). */
export function encryptWalletEntropy(encryptionKey: Buffer, entropy: Uint8Array): EncryptedWallet {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", encryptionKey, iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(entropy), cipher.final(), cipher.getAuthTag()]);
  return { iv: iv.toString("hex"), cipherText: body.toString("hex") };
}

/** The wallet entropy, or INVALID_CREDENTIALS when the key does not open this ciphertext. */
export function decryptWalletEntropy(encryptionKey: Buffer, encrypted: EncryptedWallet): Uint8Array {
  try {
    const iv = Buffer.from(encrypted.iv, "hex");
    const body = Buffer.from(encrypted.cipherText, "hex");
    if (iv.length !== 12 || body.length < 17) throw new Error("malformed wallet ciphertext");
    const decipher = crypto.createDecipheriv("aes-256-gcm", encryptionKey, iv);
    decipher.setAAD(AAD);
    decipher.setAuthTag(body.subarray(body.length - 16));
    return new Uint8Array(Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]));
  } catch (cause) {
    throw invalidCredentials(cause);
  }
}

/** The one answer for an unknown email and for a wrong password alike. */
export function invalidCredentials(cause?: unknown): AsixError {
  return new AsixError("INVALID_CREDENTIALS", "email or password is incorrect", cause === undefined ? {} : { cause });
}
