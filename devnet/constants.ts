/** The devnet eth chain's id (Hardhat's default). */
export const ETH_CHAIN_ID = 31337;
/** The devnet data chain's id. */
export const DATA_CHAIN_ID = 1056801;
/** Devnet operators stake this much per node (the content- and discovery-node minimum). */
export const DEVNET_NODE_STAKE = 200_000n * 10n ** 18n;
