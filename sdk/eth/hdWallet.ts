import { HDKey } from "@scure/bip32";
import { entropyToMnemonic, mnemonicToSeedSync } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english";
import { bytesToHex, randomBytes } from "./bytes";
import { KeySigner } from "./keySigner";

/**
 * BIP-39/BIP-32 HD wallets on @scure (audited, on the same @noble versions the SDK already uses),
 * replacing ethers' HDNodeWallet so that email wallets do not carry ethers (and its keystore's
 * aes-js) into browser bundles. Same derivation as ethers' defaults: English mnemonic of the
 * entropy, no passphrase, path m/44'/60'/0'/0/0, so a wallet stored before opens to the same address.
 */

/** ethers' default account path (HDNodeWallet.fromMnemonic without a path). */
export const DEFAULT_HD_PATH = "m/44'/60'/0'/0/0";

/** An HD wallet's mnemonic: the phrase and the entropy it encodes. */
export interface HdMnemonic {
  /** the BIP-39 phrase (English) */
  readonly phrase: string;
  /** the entropy the phrase encodes, as 0x hex */
  readonly entropy: string;
}

/** A wallet derived from a BIP-39 mnemonic: a KeySigner that also knows its mnemonic and path. */
export class HdWallet extends KeySigner {
  /** the mnemonic the key derives from */
  readonly mnemonic: HdMnemonic;
  /** the BIP-32 path of the key */
  readonly path: string;

  private constructor(privateKey: string, mnemonic: HdMnemonic, path: string) {
    super(privateKey);
    this.mnemonic = mnemonic;
    this.path = path;
  }

  /** The wallet of a BIP-39 entropy (16..32 bytes) at ethers' default path. */
  static fromEntropy(entropy: Uint8Array): HdWallet {
    const phrase = entropyToMnemonic(entropy, wordlist);
    const key = HDKey.fromMasterSeed(mnemonicToSeedSync(phrase)).derive(DEFAULT_HD_PATH).privateKey;
    if (!key) throw new TypeError("the derived node has no private key");
    return new HdWallet(bytesToHex(key), { phrase, entropy: bytesToHex(entropy) }, DEFAULT_HD_PATH);
  }

  /** A new wallet from 16 random bytes (a 12-word mnemonic, as ethers' createRandom). */
  static createRandom(): HdWallet {
    return HdWallet.fromEntropy(randomBytes(16));
  }
}
