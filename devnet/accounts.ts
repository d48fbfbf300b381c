import type { HDNodeWallet } from "ethers";
import { DEVNET_ACCOUNT_KEYS } from "./accountKeys";

/** The devnet's accounts come from the well-known Hardhat test mnemonic: never use them on a real chain. */
export const DEVNET_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * Who is who among the devnet's funded accounts (derived from the test mnemonic, m/44'/60'/0'/0/i).
 * Both chains fund the same accounts.
 */
export const DEVNET_ROLES = {
  /** deploys every contract; governance guardian */
  deployer: 0,
  /** EntityManager's verifier (social verification) */
  verifier: 1,
  /**
   * Content node operators / delegate wallets, one per node. Past the third they lie beyond the
   * funded accounts (as extraDiscoveryNodes do), so the genesis stays the same; the deployer pays their gas.
   */
  contentNodes: [2, 3, 4, 22, 23, 24, 25],
  /** discovery node operator / delegate wallet */
  discoveryNode: 5,
  /**
   * Operators of a second and third discovery node. They lie past the funded accounts so that the
   * chains' genesis (and so every saved journal) stays the same; the deployer pays their gas.
   */
  extraDiscoveryNodes: [20, 21],
  /** identity service relayers */
  relayers: [6, 7, 8, 9],
  /** free accounts for users, apps and tests */
  users: [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
} as const;

export const DEVNET_ACCOUNT_COUNT = 20;

/** Operator account of discovery node i (from 0). */
export function discoveryOperatorIndex(i: number): number {
  return i === 0 ? DEVNET_ROLES.discoveryNode : DEVNET_ROLES.extraDiscoveryNodes[i - 1];
}

/** How many discovery nodes a devnet can run: one per operator account. */
export const MAX_DEVNET_DISCOVERY_NODES = 1 + DEVNET_ROLES.extraDiscoveryNodes.length;

/** How many content nodes a devnet can run: one per operator account. */
export const MAX_DEVNET_CONTENT_NODES = DEVNET_ROLES.contentNodes.length;

/** What the devnet uses account i for. */
export function roleOf(i: number): string {
  if (i === DEVNET_ROLES.deployer) return "deployer";
  if (i === DEVNET_ROLES.verifier) return "verifier";
  if ((DEVNET_ROLES.contentNodes as readonly number[]).includes(i)) return "content-node operator";
  if (i === DEVNET_ROLES.discoveryNode || (DEVNET_ROLES.extraDiscoveryNodes as readonly number[]).includes(i)) return "discovery-node operator";
  if ((DEVNET_ROLES.relayers as readonly number[]).includes(i)) return "relayer";
  return "user";
}

let accountsRoot: HDNodeWallet | undefined;
const privateKeys = new Map<number, string>();

/**
 * The private key of devnet account i: from the checked table of the assigned accounts, else derived
 * from the mnemonic (its seed, 2,048 rounds of PBKDF2, once per process, and each key once).
 */
export function devnetPrivateKey(index: number): string {
  const known = DEVNET_ACCOUNT_KEYS[index];
  if (known) return known[0];
  return deriveDevnetPrivateKey(index);
}

/** The address of devnet account i, without computing a public key for the assigned accounts. */
export function devnetAddress(index: number): string {
  const known = DEVNET_ACCOUNT_KEYS[index];
  if (known) return known[1];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { computeAddress } = require("ethers") as typeof import("ethers");
  return computeAddress(deriveDevnetPrivateKey(index));
}

/** Account i derived from the mnemonic, as Hardhat derives its accounts. */
export function deriveDevnetPrivateKey(index: number): string {
  let key = privateKeys.get(index);
  if (key === undefined) {
    // ethers loads on the first derivation: the CLI's devnet commands read the roles without it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { HDNodeWallet, Mnemonic } = require("ethers") as typeof import("ethers");
    accountsRoot ??= HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEVNET_MNEMONIC), "m/44'/60'/0'/0");
    key = accountsRoot.deriveChild(index).privateKey;
    privateKeys.set(index, key);
  }
  return key;
}
