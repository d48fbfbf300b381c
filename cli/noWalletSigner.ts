import { AbstractSigner, type Provider, type TransactionRequest, type TypedDataDomain, type TypedDataField } from "ethers";
import { AsixError } from "../sdk/errors";

/**
 * The wallet of a command run with nobody to act as (after `asix logout`, or on a network with no
 * login): reads go ahead, and the first thing that needs the wallet fails with `reason`, an
 * UNAUTHORIZED that says how to log in.
 */
export class NoWalletSigner extends AbstractSigner {
  constructor(private readonly reason: string) {
    super();
  }
  private refuse(): never {
    throw new AsixError("UNAUTHORIZED", this.reason);
  }
  connect(_provider: Provider | null): NoWalletSigner {
    return this;
  }
  async getAddress(): Promise<string> {
    this.refuse();
  }
  async signTransaction(_tx: TransactionRequest): Promise<string> {
    this.refuse();
  }
  async signMessage(_message: string | Uint8Array): Promise<string> {
    this.refuse();
  }
  async signTypedData(_domain: TypedDataDomain, _types: Record<string, TypedDataField[]>, _value: Record<string, unknown>): Promise<string> {
    this.refuse();
  }
}
