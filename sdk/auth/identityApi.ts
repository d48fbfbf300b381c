import type { Signer } from "ethers";
import { loadHdWallet } from "../eth/loadHdWallet";
import type { HdWallet } from "../eth/hdWallet";
import { isAsixError } from "../errors";
import { requestJson, type CallOptions, type HttpClient } from "../http";
import { signEmailLink } from "./emailLink";
import { decryptWalletEntropy, deriveCredentialKeys, invalidCredentials, type CredentialKeys, type EncryptedWallet } from "./walletCrypto";

/** The identity service calls that wallet auth makes, and the local open of a stored wallet. */

// Auth runs before there is a client (it makes the wallet): the platform fetch, default timeout.
const http: HttpClient = {};
const base = (identityUrl: string) => identityUrl.replace(/\/+$/, "");

export function storeEncryptedWallet(
  identityUrl: string,
  body: EncryptedWallet & { lookupKey: string; oldLookupKey?: string },
  context: string,
  options: CallOptions = {},
): Promise<unknown> {
  return requestJson(http, { method: "POST", url: `${base(identityUrl)}/authentication`, json: body, ...options }, context);
}

/** Declare `email` as the wallet's, signed by the wallet: the service binds an email only on its holder's word. */
export async function linkEmail(identityUrl: string, email: string, wallet: Signer, context: string, options: CallOptions = {}): Promise<unknown> {
  return requestJson(http, { method: "POST", url: `${base(identityUrl)}/user`, json: await signEmailLink(wallet, email), ...options }, context);
}

/** Fetch the ciphertext stored under these keys and decrypt it here; INVALID_CREDENTIALS if there is none or it does not open. */
export async function openStoredWallet(
  identityUrl: string,
  email: string,
  keys: CredentialKeys,
  context: string,
  options: CallOptions = {},
): Promise<HdWallet> {
  let stored: EncryptedWallet;
  try {
    stored = await requestJson<EncryptedWallet>(
      http,
      { method: "GET", url: `${base(identityUrl)}/authentication`, query: { lookupKey: keys.lookupKey, email }, ...options },
      context,
    );
  } catch (e) {
    if (isAsixError(e, "NOT_FOUND")) throw invalidCredentials(e);
    throw e;
  }
  return walletFromEntropy(await decryptWalletEntropy(keys.encryptionKey, stored));
}

/** The HD wallet (BIP-39 mnemonic from the entropy, ethers' default path) the credentials keep. */
export async function walletFromEntropy(entropy: Uint8Array): Promise<HdWallet> {
  const { HdWallet } = await loadHdWallet();
  return HdWallet.fromEntropy(entropy);
}

export { deriveCredentialKeys };
