/**
 * The part of ethers that email wallets need (BIP-39/BIP-32 HD wallets), loaded by ./lazyEthers on
 * first use. Named re-exports, not the whole namespace, so that bundlers keep only these.
 */
export { HDNodeWallet, Mnemonic, getBytes } from "ethers";
