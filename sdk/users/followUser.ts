import type { AsixClient } from "../client";
import { toEntityId } from "../hashids";
import { AsixError } from "../errors";
import { manageEntity, type WriteReceipt } from "../writes";
import type { CallOptions } from "../http";
import { withBudget } from "../callBudget";
import { assertApplied, resolveUserId } from "./currentUser";

/** Whom to follow, unfollow, subscribe or unsubscribe; `signal` and `timeoutMs` bound the whole write. */
export interface FollowUserParameters extends CallOptions {
  /** the user to follow (integer id or hashid) */
  userId: number | string;
}

function socialUserAction(client: AsixClient, action: "Follow" | "Unfollow" | "Subscribe" | "Unsubscribe", params: FollowUserParameters): Promise<WriteReceipt> {
  const context = `users.${action.toLowerCase()}`;
  return withBudget(params, context, async (budget) => {
    const me = await resolveUserId(client, context, budget.next());
    const followee = toEntityId(params.userId, "user id");
    if (followee === me) throw new AsixError("INVALID_INPUT", `a user cannot ${action.toLowerCase()} themselves`);
    const receipt = await manageEntity(client, { userId: me, entityType: "User", entityId: followee, action, ...budget.next() });
    await assertApplied(client, receipt, budget.next());
    return receipt;
  });
}

/** Follow a user as the wallet's user. Following twice changes nothing. */
export function followUser(client: AsixClient, params: FollowUserParameters): Promise<WriteReceipt> {
  return socialUserAction(client, "Follow", params);
}

/** Stop following a user. */
export function unfollowUser(client: AsixClient, params: FollowUserParameters): Promise<WriteReceipt> {
  return socialUserAction(client, "Unfollow", params);
}

/** Subscribe to a user's uploads. */
export function subscribeUser(client: AsixClient, params: FollowUserParameters): Promise<WriteReceipt> {
  return socialUserAction(client, "Subscribe", params);
}

/** Stop a subscription. */
export function unsubscribeUser(client: AsixClient, params: FollowUserParameters): Promise<WriteReceipt> {
  return socialUserAction(client, "Unsubscribe", params);
}
