import type { AsixClient } from "../client";
import { ethSigner, requireAddress, requireAmount, send, txResult, writeBudget, type TransactionResult, type WriteOptions } from "./contracts";

/** Send AUDIO from the wallet to `to`. */
export async function transfer(client: AsixClient, to: string, amount: bigint, options?: WriteOptions): Promise<
  TransactionResult & {
    /** the sending wallet */
    from: string;
    /** the recipient (checksummed) */
    to: string;
    /** the amount sent, in wei */
    amount: bigint;
  }
> {
  const recipient = requireAddress(to, "recipient");
  requireAmount(amount);
  const budget = writeBudget(options, "staking.transfer");
  const { signer, contracts } = ethSigner(client, "staking.transfer");
  const receipt = await send({ action: "transfer" }, signer, () => contracts.token.transfer(recipient, amount), budget);
  return { ...txResult(receipt), from: await signer.getAddress(), to: recipient, amount };
}
