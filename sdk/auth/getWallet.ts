import type { Signer } from "ethers";
import { AsixError } from "../errors";
import { logIn } from "./logIn";

/** Either an app's own signer, or email + password for a wallet kept by the identity service. */
export type GetWalletParameters =
  | {
      /** any ethers Signer (browser wallet, hardware wallet, local key): used as is */
      signer: Signer;
    }
  | {
      /** the identity service */
      identityUrl: string;
      /** the account's email */
      email: string;
      /** the account's password (derives the keys; never sent) */
      password: string;
    };

/** The signer that writes as this user: the app's own, or the one opened from the identity service. */
export async function getWallet(params: GetWalletParameters): Promise<Signer> {
  if ("signer" in params) {
    if (!params.signer || typeof params.signer.getAddress !== "function") {
      throw new AsixError("INVALID_INPUT", "auth.getWallet: signer must be an ethers Signer");
    }
    return params.signer;
  }
  // an HdWallet signs messages and EIP-712 digests like any Signer the SDK takes (see KeySigner)
  return (await logIn(params)).wallet as unknown as Signer;
}
