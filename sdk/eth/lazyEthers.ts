import type * as Ethers from "ethers";

/**
 * ethers, loaded on first use: only contracts, providers, HD wallets and generic typed data need
 * it, and loading it costs an app about 0.4 s at start. (The cast: under a CommonJS tsconfig, TS
 * types a dynamic import with ethers' ESM declarations, whose classes are distinct types.)
 */
let loading: Promise<typeof Ethers> | undefined;
export const loadEthers = (): Promise<typeof Ethers> => (loading ??= import("ethers") as unknown as Promise<typeof Ethers>);
