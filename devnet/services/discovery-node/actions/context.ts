import type { Db } from "../db";
import { Rejection } from "../metadata";

/** One decoded EntityManager event, in chain order. */
export interface ChainAction {
  blocknumber: number;
  logIndex: number;
  txhash: string;
  /** block time, unix seconds */
  timestamp: number;
  kind: "ManageEntity" | "ManageIsVerified";
  userId: bigint;
  /** recovered signer (lower case); "" for ManageIsVerified */
  signer: string;
  entityType: string;
  entityId: bigint;
  action: string;
  metadata: string;
  isVerified?: boolean;
  /** a string field was not valid UTF-8 (the action is rejected) */
  invalidUtf8?: boolean;
}

/** A valid action that changes nothing (duplicate Create, Follow, Save…): recorded as `ignored`. */
export class Ignored extends Error {}

export interface UserRow {
  user_id: number;
  wallet: string;
  handle: string;
  handle_lc: string;
}

/** What every action handler gets: the action, its ids as safe integers, and the db. */
export interface ActionContext {
  db: Db;
  action: ChainAction;
  userId: number;
  entityId: number;
}

/** Entity ids are uint256 on chain; the index keeps them as safe integers and rejects the rest. */
export function safeId(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Rejection(`${what} ${value} is out of range`);
  return Number(value);
}

type Columns = Record<string, string | number | undefined>;
const defined = (columns: Columns) => Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)) as Record<string, string | number>;

/** INSERT one row of column → value; undefined values keep the column's default. */
export async function insertRow(db: Db, table: string, columns: Columns): Promise<void> {
  const row = defined(columns);
  const names = Object.keys(row);
  await db.run(`INSERT INTO ${table} (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`, Object.values(row));
}

/** UPDATE the columns given (undefined ones keep their value) and updated_at, of the row whose `key` is `id`. */
export async function updateRow(db: Db, table: string, key: string, id: number, columns: Columns, updatedAt: number): Promise<void> {
  const set = defined(columns);
  const assignments = [...Object.keys(set).map((c) => `${c} = ?`), "updated_at = ?"].join(", ");
  await db.run(`UPDATE ${table} SET ${assignments} WHERE ${key} = ?`, [...Object.values(set), updatedAt, id]);
}

/** The acting user, who must exist and whose wallet must have signed the action. */
export async function requireActor(ctx: ActionContext): Promise<UserRow> {
  const user = await ctx.db.get<UserRow>("SELECT user_id, wallet, handle, handle_lc FROM users WHERE user_id = ?", [ctx.userId]);
  if (!user) throw new Rejection(`user ${ctx.userId} does not exist`, "not_found");
  if (user.wallet !== ctx.action.signer) throw new Rejection(`signer ${ctx.action.signer} is not the wallet of user ${ctx.userId}`, "unauthorized");
  return user;
}
