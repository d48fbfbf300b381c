import type * as HdWallets from "./hdWallets";

/**
 * The HD-wallet part of ethers (./hdWallets), loaded on first use: only email wallets need it, and
 * loading ethers costs an app about 0.4 s at start. (The cast: under a CommonJS tsconfig, TS types a
 * dynamic import with ethers' ESM declarations, whose classes are distinct types.)
 */
let loading: Promise<typeof HdWallets> | undefined;
export const loadEthers = (): Promise<typeof HdWallets> => (loading ??= import("./hdWallets.js") as unknown as Promise<typeof HdWallets>);
