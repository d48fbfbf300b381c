import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Wallet } from "ethers";
import { AsixError } from "../sdk/errors";
import { configDir } from "./keystore";

/**
 * A lasting login (`asix login`), like `gh auth login`: the wallet's key is kept encrypted with
 * AES-256-GCM under a key derived by scrypt from a random per-install secret (`install-secret`,
 * 0600) in the config dir. There is no OS keychain to hold that secret here, so the trade-off is:
 * the key is never on disk in the clear, and a copied or leaked session.json alone is useless, but
 * anyone who can read your config dir as you (both files) can use the login until it expires or
 * you run `asix logout`.
 */
export const SESSION_TRADE_OFF =
  "The key is stored encrypted (AES-256-GCM, key from scrypt over a per-install secret file with 0600 perms); anyone who can read your config dir as you can use the login until it expires or you log out.";

export interface LoginSession {
  email: string;
  address: string;
  /** the network the login was made on (a profile name, or "devnet") */
  network: string;
  expiresAt: string;
}

interface SessionFile extends LoginSession {
  version: 1;
  kdf: { name: "scrypt"; salt: string; N: number; r: number; p: number };
  cipher: { name: "aes-256-gcm"; iv: string; tag: string; ciphertext: string };
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1 };
const sessionFile = () => path.join(configDir(), "session.json");
const secretFile = () => path.join(configDir(), "install-secret");

function installSecret(create: boolean): Buffer | undefined {
  const file = secretFile();
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, "utf8").trim(), "hex");
  if (!create) return undefined;
  fs.mkdirSync(configDir(), { recursive: true, mode: 0o700 });
  const secret = crypto.randomBytes(32);
  // wx: two logins at once must not each write a different secret
  try {
    fs.writeFileSync(file, secret.toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return installSecret(false);
  }
  return secret;
}

const deriveKey = (secret: Buffer, salt: Buffer) => crypto.scryptSync(secret, salt, 32, { ...SCRYPT, maxmem: 64 * 1024 * 1024 });

// The metadata is authenticated too: editing the expiry or address in the file makes it undecryptable.
const associatedData = (s: LoginSession) => Buffer.from(JSON.stringify([s.email, s.address, s.network, s.expiresAt]));

export function saveSession(privateKey: string, session: LoginSession): void {
  const secret = installSecret(true)!;
  const salt = crypto.randomBytes(16);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", deriveKey(secret, salt), iv);
  cipher.setAAD(associatedData(session));
  const ciphertext = Buffer.concat([cipher.update(privateKey, "utf8"), cipher.final()]);
  const record: SessionFile = {
    version: 1,
    ...session,
    kdf: { name: "scrypt", salt: salt.toString("hex"), ...SCRYPT },
    cipher: { name: "aes-256-gcm", iv: iv.toString("hex"), tag: cipher.getAuthTag().toString("hex"), ciphertext: ciphertext.toString("hex") },
  };
  const file = sessionFile();
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(record, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

/** The login's details without decrypting it, or undefined when nobody is logged in. */
export function readSession(): LoginSession | undefined {
  try {
    const { email, address, network, expiresAt } = JSON.parse(fs.readFileSync(sessionFile(), "utf8")) as SessionFile;
    return { email, address, network, expiresAt };
  } catch {
    return undefined;
  }
}

/** The logged-in wallet; UNAUTHORIZED once the login has expired or if it cannot be decrypted here. */
export function openSession(now = Date.now()): { session: LoginSession; wallet: Wallet } | undefined {
  if (!fs.existsSync(sessionFile())) return undefined;
  let record: SessionFile;
  try {
    record = JSON.parse(fs.readFileSync(sessionFile(), "utf8")) as SessionFile;
  } catch (cause) {
    throw new AsixError("UNAUTHORIZED", `the saved login (${sessionFile()}) is unreadable: run asix login`, { cause });
  }
  if (Date.parse(record.expiresAt) <= now) {
    throw new AsixError("UNAUTHORIZED", `your login as ${record.email} expired at ${record.expiresAt}: run asix login --email ${record.email}`);
  }
  const secret = installSecret(false);
  try {
    if (!secret) throw new Error("no install secret");
    const decipher = crypto.createDecipheriv("aes-256-gcm", deriveKey(secret, Buffer.from(record.kdf.salt, "hex")), Buffer.from(record.cipher.iv, "hex"));
    decipher.setAAD(associatedData(record));
    decipher.setAuthTag(Buffer.from(record.cipher.tag, "hex"));
    const privateKey = Buffer.concat([decipher.update(Buffer.from(record.cipher.ciphertext, "hex")), decipher.final()]).toString("utf8");
    const wallet = new Wallet(privateKey);
    return { session: readSession()!, wallet };
  } catch (cause) {
    throw new AsixError("UNAUTHORIZED", `the saved login as ${record.email} cannot be decrypted on this install: run asix login --email ${record.email}`, { cause });
  }
}

/** Forget the login; true when there was one. */
export function clearSession(): boolean {
  const file = sessionFile();
  if (!fs.existsSync(file)) return false;
  fs.rmSync(file, { force: true });
  return true;
}
