import { AsixError, isAsixError } from "../errors";
import { toEntityId } from "../hashids";
import { requireWallet, type AsixClient } from "../client";
import { getData } from "../reads";
import type { CallOptions } from "../http";
import type { WriteReceipt } from "../writes";
import type { User } from "../models";
import type * as wire from "../protocol/models";
import { rejectionErrorCode, type IndexedAction } from "../protocol/actions";

/** The acting user's integer id: known already, or looked up from the wallet on the discovery node. */
export async function resolveUserId(client: AsixClient, action: string, options: CallOptions = {}): Promise<number> {
  if (client.userId !== undefined) return client.userId;
  const wallet = requireWallet(client, action);
  const address = await wallet.getAddress();
  try {
    const user = await getData<wire.User>(client, `/v1/users/account/${address}`, undefined, "look up the wallet's user", options);
    client.userId = toEntityId(user.id, "user id");
    return client.userId;
  } catch (e) {
    if (isAsixError(e, "NOT_FOUND")) {
      throw new AsixError("INVALID_INPUT", `${action} needs a user: wallet ${address} has none yet (users.create first)`);
    }
    throw e;
  }
}

/**
 * The discovery node validates every action off chain (§3). A write that landed on chain may still
 * have been rejected (wrong signer, not the owner, a taken handle…); turn that into an AsixError.
 */
export async function assertApplied(client: AsixClient, receipt: WriteReceipt, options: CallOptions = {}): Promise<void> {
  const data = await getData<IndexedAction | IndexedAction[]>(
    client,
    `/v1/full/transactions/${receipt.transactionHash}`,
    undefined,
    "indexed action status",
    options,
  );
  for (const action of Array.isArray(data) ? data : [data]) {
    if (action.status === "rejected") {
      const reason = action.reason || "rejected by the discovery node";
      throw new AsixError(rejectionErrorCode(action.code), `the action was rejected: ${reason}`, {
        details: { ...receipt, reason, rejection: action.code },
      });
    }
  }
}
