import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { Wallet, type HDNodeWallet } from "ethers";
import { AsixError } from "../sdk/errors";

/**
 * Local accounts: ethers JSON keystores (scrypt + AES-128-CTR, the Web3 Secret Storage format) in
 * the user's config dir, `$XDG_CONFIG_HOME/asix/accounts/<name>.json`, plus which one is in use.
 */
export function configDir(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config");
  return path.join(base, "asix");
}

const accountsDir = () => path.join(configDir(), "accounts");
const settingsFile = () => path.join(configDir(), "config.json");
const NAME = /^[A-Za-z0-9_.@+-]{1,64}$/;

export interface AccountSummary {
  name: string;
  address: string;
  current: boolean;
}

function keystorePath(name: string): string {
  if (!NAME.test(name) || name.startsWith(".")) throw new AsixError("INVALID_INPUT", `account name must match ${NAME.source}`);
  return path.join(accountsDir(), `${name}.json`);
}

interface Settings {
  /** the keystore in use (`asix account use`) */
  current?: string;
  /** set by `asix logout`: no implicit wallet (keystore or devnet account) until the next login or `account use` */
  signedOut?: boolean;
}

function readSettings(): Settings {
  try {
    return JSON.parse(fs.readFileSync(settingsFile(), "utf8"));
  } catch {
    return {};
  }
}

function writeSettings(settings: Settings): void {
  fs.mkdirSync(configDir(), { recursive: true, mode: 0o700 });
  fs.writeFileSync(settingsFile(), JSON.stringify(settings, null, 2) + "\n", { mode: 0o600 });
}

/** Encrypt and save a wallet under a name; refuses to overwrite unless asked. */
export async function saveAccount(name: string, wallet: Wallet | HDNodeWallet, password: string, overwrite = false): Promise<AccountSummary> {
  const file = keystorePath(name);
  if (!overwrite && fs.existsSync(file)) throw new AsixError("CONFLICT", `account "${name}" already exists`);
  if (password.length < 8) throw new AsixError("INVALID_INPUT", "keystore password must be at least 8 characters");
  const json = await wallet.encrypt(password);
  fs.mkdirSync(accountsDir(), { recursive: true, mode: 0o700 });
  fs.writeFileSync(`${file}.tmp`, json, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  if (!readSettings().current) writeSettings({ ...readSettings(), current: name });
  return { name, address: wallet.address, current: readSettings().current === name };
}

/** Decrypt a saved account; INVALID_CREDENTIALS on a wrong password. */
export async function openAccount(name: string, password: string): Promise<Wallet | HDNodeWallet> {
  const file = keystorePath(name);
  if (!fs.existsSync(file)) throw new AsixError("NOT_FOUND", `no account "${name}" (see: asix account list)`);
  try {
    return await Wallet.fromEncryptedJson(fs.readFileSync(file, "utf8"), password);
  } catch (cause) {
    throw new AsixError("INVALID_CREDENTIALS", `wrong password for account "${name}"`, { cause });
  }
}

export function listAccounts(): AccountSummary[] {
  const dir = accountsDir();
  if (!fs.existsSync(dir)) return [];
  const current = readSettings().current;
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const name = f.slice(0, -5);
      const { address } = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as { address: string };
      return { name, address: `0x${address.replace(/^0x/, "")}`, current: name === current };
    });
}

export function useAccount(name: string): void {
  if (!fs.existsSync(keystorePath(name))) throw new AsixError("NOT_FOUND", `no account "${name}" (see: asix account list)`);
  writeSettings({ ...readSettings(), current: name, signedOut: undefined });
}

export function setSignedOut(signedOut: boolean): void {
  writeSettings({ ...readSettings(), signedOut: signedOut || undefined });
}

export function isSignedOut(): boolean {
  return readSettings().signedOut === true;
}

export function currentAccountName(): string | undefined {
  const current = readSettings().current;
  return current && fs.existsSync(keystorePath(current)) ? current : undefined;
}

/** A password from the flag, then ASIX_PASSWORD, then a hidden prompt on a terminal. */
export async function obtainPassword(flag: string | undefined, prompt: string): Promise<string> {
  if (flag !== undefined) return flag;
  if (process.env.ASIX_PASSWORD) return process.env.ASIX_PASSWORD;
  if (!process.stdin.isTTY) throw new AsixError("INVALID_INPUT", "a password is needed: pass --password or set ASIX_PASSWORD");
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(prompt)) process.stderr.write(prompt);
    };
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
  });
}
