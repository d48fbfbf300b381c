import { hexToBytes } from "../eth/bytes";
import { AsixError } from "../errors";
import { deriveCredentialKeys, openStoredWallet, storeEncryptedWallet } from "./identityApi";
import { checkCredentials } from "./signUp";
import { encryptWalletEntropy } from "./walletCrypto";
import type { CallOptions } from "../http";
import { withBudget } from "../callBudget";

/** The email, the current password and the new one; `signal` and `timeoutMs` bound the whole change. */
export interface ChangePasswordParameters extends CallOptions {
  /** the identity service */
  identityUrl: string;
  /** the email given at sign-up */
  email: string;
  /** the current password: INVALID_CREDENTIALS if wrong */
  oldPassword: string;
  /** at least 8 characters, different from the old one */
  newPassword: string;
}

/** The re-encrypted wallet. */
export interface ChangePasswordResult {
  /** unchanged: the same wallet, re-encrypted */
  walletAddress: string;
}

/** Re-encrypt the same wallet under a new password and replace the stored ciphertext. */
export async function changePassword(params: ChangePasswordParameters): Promise<ChangePasswordResult> {
  const email = checkCredentials(params.email, params.newPassword, "auth.changePassword");
  if (params.oldPassword === params.newPassword) {
    throw new AsixError("INVALID_INPUT", "auth.changePassword: the new password must differ from the old one");
  }
  return withBudget(params, "auth.changePassword", async (budget) => {
    const [oldKeys, newKeys] = await Promise.all([deriveCredentialKeys(email, params.oldPassword), deriveCredentialKeys(email, params.newPassword)]);
    const wallet = await openStoredWallet(params.identityUrl, email, oldKeys, "auth.changePassword", budget.next());
    const encrypted = await encryptWalletEntropy(newKeys.encryptionKey, hexToBytes(wallet.mnemonic.entropy));
    await storeEncryptedWallet(
      params.identityUrl,
      { ...encrypted, lookupKey: newKeys.lookupKey, oldLookupKey: oldKeys.lookupKey },
      "auth.changePassword",
      budget.next(),
    );
    return { walletAddress: wallet.address };
  });
}
