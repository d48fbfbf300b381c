import type { AsixErrorCode } from "../errors";

/**
 * Why the discovery node rejected an indexed action (PROTOCOL.md §3), stored beside the reason text
 * and returned by `/v1/full/transactions/:txhash`. Clients branch on this code, never on the text.
 */
export type ActionRejectionCode = "unauthorized" | "not_found" | "conflict" | "invalid";

/** The AsixError code a client raises for each rejection code. */
export const ACTION_REJECTION_ERROR_CODES: Readonly<Record<ActionRejectionCode, AsixErrorCode>> = {
  unauthorized: "UNAUTHORIZED",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  invalid: "INVALID_INPUT",
};

/** The AsixError code for a rejection code; INVALID_INPUT for "" (rows indexed before codes existed) or an unknown one. */
export function rejectionErrorCode(code: string | undefined): AsixErrorCode {
  return Object.prototype.hasOwnProperty.call(ACTION_REJECTION_ERROR_CODES, code ?? "")
    ? ACTION_REJECTION_ERROR_CODES[code as ActionRejectionCode]
    : "INVALID_INPUT";
}

/** What the discovery node did with an indexed action. */
export type ActionStatus = "applied" | "ignored" | "rejected";

/** The outcome of one indexed action (`/v1/full/transactions/:txhash`); a wire model, snake_case. */
export interface IndexedAction {
  /** the data-chain block it was in */
  blocknumber: number;
  /** its log's index in the block */
  log_index: number;
  /** its transaction's hash */
  txhash: string;
  /** integer ids as decimal strings: on chain they are uint256 */
  user_id: string;
  /** the target entity's id */
  entity_id: string;
  /** who signed it (recovered from the EIP-712 signature) */
  signer: string;
  /** User, Track or Playlist */
  entity_type: string;
  /** Create, Update, Delete, Follow, Save, Repost, ... */
  action: string;
  /** applied, ignored (it changed nothing) or rejected */
  status: ActionStatus;
  /** why it was rejected or ignored; "" when applied */
  reason: string;
  /** set when rejected; "" otherwise (and on rows indexed before codes existed) */
  code: ActionRejectionCode | "";
}
