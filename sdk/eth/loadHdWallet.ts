import type * as HdWalletModule from "./hdWallet";

/**
 * ./hdWallet, loaded on first use: only email wallets need BIP-39 (its wordlist) and BIP-32, and
 * an app that signs with a key or only reads should not load them at start.
 */
let loading: Promise<typeof HdWalletModule> | undefined;
export const loadHdWallet = (): Promise<typeof HdWalletModule> => (loading ??= import("./hdWallet.js") as unknown as Promise<typeof HdWalletModule>);
