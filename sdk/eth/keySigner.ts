import type { Provider, TypedDataDomain, TypedDataField, Wallet } from "ethers";
import { bytesToHex, hexToBytes } from "./bytes";
import { addressOfPrivateKey, hashMessage, privateKeyBytes, signDigest } from "./keys";
import { loadEthers } from "./lazyEthers";

/**
 * The signer `createAsix({ wallet: "0x…private key" })` makes: addresses, EIP-191 messages and
 * EIP-712 digests are signed here with @noble/curves, so a client with a key never loads ethers.
 * Generic typed data (staking permits) and eth-chain transactions go through an ethers Wallet over
 * the same key, loaded when first needed. Signatures are byte-identical to an ethers Wallet's.
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

  async signTypedData(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, value: Record<string, unknown>): Promise<string> {
    return (await this.toEthersWallet()).signTypedData(domain, types, value);
  }

  /** An ethers Wallet over the same key (loads ethers). */
  async toEthersWallet(provider?: Provider | null): Promise<Wallet> {
    const { Wallet } = await loadEthers();
    return new Wallet(this.privateKey, provider ?? null);
  }
}
