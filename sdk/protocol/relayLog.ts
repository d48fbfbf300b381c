import type { ActionRejectionCode, ActionStatus } from "./actions";

/**
 * The identity service's relay log on the wire (GET /relay/recent) and the devnet explorer's relay
 * inspector rows built on it: one home for both, which the service, the explorer's server and its
 * page import.
 */

/** One relayed or refused action, newest first in GET /relay/recent (a wire model, snake_case). */
export interface RelayedAction {
  /** increasing with each record */
  id: number;
  /** when the relay answered, unix ms */
  at: number;
  /** the wallet the EIP-712 signature recovers to */
  signer: string;
  /** the acting user's integer id, decimal */
  user_id: string;
  /** User, Track or Playlist (the target, for social actions) */
  entity_type: string;
  /** the target entity's integer id, decimal */
  entity_id: string;
  /** Create, Update, Follow, Save, ... */
  action: string;
  /** relayed: mined (the indexer may still reject it); refused: this service paid for nothing */
  status: "relayed" | "refused";
  /** "" when refused */
  tx_hash: string;
  /** the block it was mined in; null when refused */
  block_number: number | null;
  /** the relayer wallet that paid, "" when refused */
  relayer: string;
  /** gas units the transaction used, decimal; "" when refused */
  gas_used: string;
  /** wei per gas paid, decimal; "" when refused */
  gas_price: string;
  /** the refusal's AsixError code, "" when relayed */
  error_code: string;
  /** the refusal's message, "" when relayed */
  error_message: string;
}


/**
 * The relay inspector's rows: the identity service's relay log (what was relayed or refused, by
 * whom, for how much gas) joined with the discovery node's verdict on each mined action (applied,
 * ignored, or rejected with the indexer's reason).
 */
export interface InspectedAction extends RelayedAction {
  /** refused: the relay paid nothing; pending: mined, not indexed yet; else the indexer's verdict */
  outcome: "refused" | "pending" | ActionStatus;
  /** why it was refused or rejected (or ignored); "" when applied */
  reason: string;
  /** the indexer's rejection code, or the relay's error code */
  code: ActionRejectionCode | string;
}
