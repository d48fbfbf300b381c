import type { Signer } from "ethers";
import { loadHdWallet } from "../eth/loadHdWallet";
import type { HdWallet } from "../eth/hdWallet";
import { hexToBytes } from "../eth/bytes";
import { AsixError, isAsixError } from "../errors";
import { linkEmail, openStoredWallet, storeEncryptedWallet } from "./identityApi";
import type { CallOptions } from "../http";
import { MIN_PASSWORD_LENGTH } from "../limits";
import { withBudget } from "../callBudget";
import { deriveCredentialKeys, encryptWalletEntropy, isEmailAddress, normalizeEmail } from "./walletCrypto";

/** Where and with what credentials to sign up; `signal` and `timeoutMs` bound the whole sign-up. */
export interface SignUpParameters extends CallOptions {
  /** the identity service, e.g. `http://127.0.0.1:4000` */
  identityUrl: string;
  /** an email address */
  email: string;
  /** at least 8 characters; never sent anywhere */
  password: string;
}

export interface SignUpResult {
  /** the new wallet, ready to sign */
  wallet: HdWallet;
  /** its address */
  walletAddress: string;
  /** the email as stored (trimmed, lower case) */
  email: string;
}

// Its home is ../limits (which the SDK's entry loads without this module).
export { MIN_PASSWORD_LENGTH };

/**
 * Create a wallet for an email and password. The wallet's entropy is encrypted here with a key
 * derived from the credentials; the identity service stores only the ciphertext under a separately
 * derived lookup key, then the new wallet signs the link of the email to its address.
 *
 * Nothing asks whether the email is known: the service never tells (no enumeration), and needs not,
 * since the credentials alone name the wallet. Signing up again with the same email and password
 * opens the wallet already stored (finishing a sign-up that stopped half way); with another
 * password it makes another wallet.
 */
export async function signUp(params: SignUpParameters): Promise<SignUpResult> {
  const email = checkCredentials(params.email, params.password, "auth.signUp");
  return withBudget(params, "auth.signUp", async (budget) => {
    const keys = await deriveCredentialKeys(email, params.password);
    const { HdWallet } = await loadHdWallet();
    let wallet = HdWallet.createRandom();
    const encrypted = await encryptWalletEntropy(keys.encryptionKey, hexToBytes(wallet.mnemonic.entropy));
    try {
      await storeEncryptedWallet(params.identityUrl, { ...encrypted, lookupKey: keys.lookupKey }, "auth.signUp", budget.next());
    } catch (e) {
      // A sign-up that stopped after storing the wallet left it under these very credentials: finish that one.
      if (!isAsixError(e, "CONFLICT")) throw e;
      wallet = await openStoredWallet(params.identityUrl, email, keys, "auth.signUp", budget.next());
    }
    await linkEmail(params.identityUrl, email, wallet as unknown as Signer, "auth.signUp", budget.next());
    return { wallet, walletAddress: wallet.address, email };
  });
}

export function checkCredentials(email: unknown, password: unknown, context: string): string {
  if (!isEmailAddress(email)) {
    throw new AsixError("INVALID_INPUT", `${context}: email must be an email address`);
  }
  if (typeof password !== "string" || password.length < MIN_PASSWORD_LENGTH) {
    throw new AsixError("INVALID_INPUT", `${context}: password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  return normalizeEmail(email);
}
