import type { HdWallet } from "../eth/hdWallet";
import { AsixError } from "../errors";
import { deriveCredentialKeys, openStoredWallet } from "./identityApi";
import { normalizeEmail } from "./walletCrypto";
import type { CallOptions } from "../http";
import { withBudget } from "../callBudget";

/** Where to log in and with what credentials; `signal` and `timeoutMs` bound the whole log-in. */
export interface LogInParameters extends CallOptions {
  /** the identity service */
  identityUrl: string;
  /** the email given at sign-up */
  email: string;
  /** the password; never sent anywhere */
  password: string;
}

/** The opened wallet. */
export interface LogInResult {
  /** the opened wallet, ready to sign */
  wallet: HdWallet;
  /** its address */
  walletAddress: string;
  /** the email as stored (trimmed, lower case) */
  email: string;
}

/**
 * Open the wallet stored for an email and password. The ciphertext is fetched and decrypted here.
 * A wrong password and an unknown email both give AsixError `INVALID_CREDENTIALS` with the same
 * message, after the same work.
 */
export async function logIn(params: LogInParameters): Promise<LogInResult> {
  if (typeof params.email !== "string" || typeof params.password !== "string" || params.password.length === 0) {
    throw new AsixError("INVALID_INPUT", "auth.logIn: email and password are required");
  }
  const email = normalizeEmail(params.email);
  return withBudget(params, "auth.logIn", async (budget) => {
    const keys = await deriveCredentialKeys(email, params.password);
    const wallet = await openStoredWallet(params.identityUrl, email, keys, "auth.logIn", budget.next());
    return { wallet, walletAddress: wallet.address, email };
  });
}
