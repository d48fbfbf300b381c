import { Router } from "express";
import type { Statement } from "better-sqlite3";
import { AsixError } from "../../../sdk/errors";
import type { ManageEntityMessage } from "../../../sdk/eip712";
import type { IdentityDb } from "./db";
import type { RelayedAction } from "../../../sdk/protocol/relayLog";

export type { RelayedAction } from "../../../sdk/protocol/relayLog";
import type { RelayReceipt } from "./relayerPool";

/**
 * The relay log: the last N EntityManager actions this service relayed or refused, decoded, kept in
 * its SQLite file (so it survives a restart) and served at GET /relay/recent. What the indexer then
 * did with a relayed action is the discovery node's to say (`/v1/full/transactions/:txhash`).
 */

/** How many actions the log keeps by default: enough for an inspector, small enough to never matter. */
export const RELAY_LOG_CAPACITY = 1000;
const MAX_PAGE = 500;

export class RelayLog {
  private readonly insert: Statement;
  private readonly trim: Statement;
  private readonly select: Statement;

  constructor(db: IdentityDb, private readonly capacity = RELAY_LOG_CAPACITY) {
    this.insert = db.prepare(`INSERT INTO relayed_actions
      (at, signer, user_id, entity_type, entity_id, action, status, tx_hash, block_number, relayer, gas_used, gas_price, error_code, error_message)
      VALUES (@at, @signer, @user_id, @entity_type, @entity_id, @action, @status, @tx_hash, @block_number, @relayer, @gas_used, @gas_price, @error_code, @error_message)`);
    this.trim = db.prepare("DELETE FROM relayed_actions WHERE id <= ?");
    this.select = db.prepare("SELECT * FROM relayed_actions ORDER BY id DESC LIMIT ?");
  }

  relayed(message: ManageEntityMessage, signer: string, receipt: RelayReceipt): void {
    this.add(message, signer, {
      status: "relayed",
      tx_hash: receipt.transactionHash,
      block_number: receipt.blockNumber,
      relayer: receipt.from,
      gas_used: String(receipt.gasUsed),
      gas_price: String(receipt.effectiveGasPrice),
    });
  }

  refused(message: ManageEntityMessage, signer: string, error: AsixError): void {
    this.add(message, signer, { status: "refused", error_code: error.code, error_message: error.message });
  }

  /** The newest `limit` actions, newest first. */
  recent(limit: number): RelayedAction[] {
    return this.select.all(limit) as RelayedAction[];
  }

  private add(message: ManageEntityMessage, signer: string, outcome: Partial<RelayedAction> & Pick<RelayedAction, "status">): void {
    const row = {
      at: Date.now(),
      signer,
      user_id: String(message.userId),
      entity_type: message.entityType,
      entity_id: String(message.entityId),
      action: message.action,
      tx_hash: "",
      block_number: null,
      relayer: "",
      gas_used: "",
      gas_price: "",
      error_code: "",
      error_message: "",
      ...outcome,
    };
    const { lastInsertRowid } = this.insert.run(row);
    this.trim.run(Number(lastInsertRowid) - this.capacity);
  }
}

/** GET /relay/recent?limit=50: the log, newest first, as `{ data: RelayedAction[] }`. */
export function relayLogRoutes(log: RelayLog): Router {
  const router = Router();
  router.get("/relay/recent", (req, res) => {
    const raw = req.query.limit;
    const limit = raw === undefined ? 50 : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new AsixError("INVALID_INPUT", `limit must be an integer from 1 to ${MAX_PAGE}`);
    res.json({ data: log.recent(limit) });
  });
  return router;
}
