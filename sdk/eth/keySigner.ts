import { bytesToHex, hexToBytes } from "./bytes";
import { addressOfPrivateKey, hashMessage, privateKeyBytes, signDigest } from "./keys";

/**
 * The signer `createAsix({ wallet: "0x…private key" })` makes: addresses, EIP-191 messages and
 * EIP-712 digests are signed here with @noble/curves, so a client with a key never loads ethers.
 * Generic typed data (staking permits) and eth-chain transactions go through an ethers Wallet over
 * the same key, which the staking code (already on ethers) makes from `privateKey`. Nothing here
 * imports ethers, not even lazily: a browser bundle without code splitting would carry it whole.
 * Signatures are byte-identical to an ethers Wallet's.
 */
export class KeySigner {
  readonly address: string;
  /** Not connected to a provider: the SDK's staking code connects it to the eth chain itself. */
  readonly provider = null;
  readonly #key: Uint8Array;

  constructor(privateKey: string) {
    this.#key = privateKeyBytes(privateKey);
    this.address = addressOfPrivateKey(this.#key);
  }

  /** The key as 0x hex, as an ethers Wallet exposes it. */
  get privateKey(): string {
    return bytesToHex(this.#key);
  }

  /** The raw-digest signer that sdk/typedData.ts uses for EntityManager signatures (like ethers' SigningKey). */
  get signingKey() {
    const key = this.#key;
    return { sign: (digest: string) => ({ serialized: signDigest(key, hexToBytes(digest)) }) };
  }

  async getAddress(): Promise<string> {
    return this.address;
  }

  async signMessage(message: string | Uint8Array): Promise<string> {
    return signDigest(this.#key, hashMessage(message));
  }
}
