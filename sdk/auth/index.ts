/** Wallet auth: plain functions over an identity service URL, for the client facade to bind. */
export { signUp, MIN_PASSWORD_LENGTH, type SignUpParameters, type SignUpResult } from "./signUp";
export { logIn, type LogInParameters, type LogInResult } from "./logIn";
export { changePassword, type ChangePasswordParameters, type ChangePasswordResult } from "./changePassword";
export { getWallet, type GetWalletParameters } from "./getWallet";
export {
  WALLET_SCRYPT,
  deriveCredentialKeys,
  encryptWalletEntropy,
  decryptWalletEntropy,
  type CredentialKeys,
  type EncryptedWallet,
} from "./walletCrypto";
export { emailLinkData, signEmailLink } from "./emailLink";
