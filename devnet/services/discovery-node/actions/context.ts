import { Rejection } from "../metadata";
import type { ChainAction } from "./chainAction";
import type { BatchState, UserState } from "./state";

export type { ChainAction };

/** A valid action that changes nothing (duplicate Create, Follow, Save…): recorded as `ignored`. */
export class Ignored extends Error {}

/** What every action handler gets: the action, its ids as safe integers, and the batch's state. */
export interface ActionContext {
  state: BatchState;
  action: ChainAction;
  userId: number;
  entityId: number;
}

/** Entity ids are uint256 on chain; the index keeps them as safe integers and rejects the rest. */
export function safeId(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Rejection(`${what} ${value} is out of range`);
  return Number(value);
}

/** The acting user, who must exist and whose wallet must have signed the action. */
export async function requireActor(ctx: ActionContext): Promise<UserState> {
  const user = await ctx.state.user(ctx.userId);
  if (!user) throw new Rejection(`user ${ctx.userId} does not exist`, "not_found");
  if (user.wallet !== ctx.action.signer) throw new Rejection(`signer ${ctx.action.signer} is not the wallet of user ${ctx.userId}`, "unauthorized");
  return user;
}
