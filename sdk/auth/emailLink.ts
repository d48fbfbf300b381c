import type { Signer } from "ethers";
import { recoverDataSigner, signData } from "../signatures";

/**
 * What a wallet signs to declare its email to the identity service (EIP-191 over canonical JSON):
 * an email is bound to a wallet only by that wallet's holder. The timestamp keeps a signature
 * usable for a few minutes only (REQUEST_SIGNATURE_MAX_AGE_MS).
 */
export function emailLinkData(email: string, walletAddress: string, timestamp: number) {
  return {
    /** binds the signature to linking an email */
    purpose: "asix-link-email",
    /** the email being linked */
    email,
    /** the wallet it is linked to */
    wallet: walletAddress,
    /** when it was signed (ms since epoch) */
    timestamp,
  };
}

/** The POST /user body for `email`, signed by `wallet`. */
export async function signEmailLink(wallet: Signer, email: string, now = Date.now()) {
  const walletAddress = await wallet.getAddress();
  return {
    /** the email being linked */
    email,
    /** the signing wallet's address */
    walletAddress,
    /** when it was signed (ms since epoch) */
    timestamp: now,
    /** the wallet's signature over emailLinkData */
    signature: await signData(wallet, emailLinkData(email, walletAddress, now)),
  };
}

/** The address that signed this email link, or undefined for a malformed signature. */
export function recoverEmailLinkSigner(email: string, walletAddress: string, timestamp: number, signature: string): string | undefined {
  return recoverDataSigner(emailLinkData(email, walletAddress, timestamp), signature);
}
