import type { AsixClient } from "../client";
import { toEntityId } from "../hashids";
import { AsixError } from "../errors";
import { manageEntity, type WriteReceipt } from "../writes";
import { assertApplied, resolveUserId } from "./currentUser";

/** Whom to follow, unfollow, subscribe or unsubscribe. */
export interface FollowUserParameters {
  /** the user to follow (integer id or hashid) */
  userId: number | string;
}

async function socialUserAction(client: AsixClient, action: "Follow" | "Unfollow" | "Subscribe" | "Unsubscribe", target: number | string): Promise<WriteReceipt> {
  const me = await resolveUserId(client, `users.${action.toLowerCase()}`);
  const followee = toEntityId(target, "user id");
  if (followee === me) throw new AsixError("INVALID_INPUT", `a user cannot ${action.toLowerCase()} themselves`);
  const receipt = await manageEntity(client, { userId: me, entityType: "User", entityId: followee, action });
  await assertApplied(client, receipt);
  return receipt;
}

/** Follow a user as the wallet's user. Following twice changes nothing. */
export function followUser(client: AsixClient, params: FollowUserParameters): Promise<WriteReceipt> {
  return socialUserAction(client, "Follow", params.userId);
}

/** Stop following a user. */
export function unfollowUser(client: AsixClient, params: FollowUserParameters): Promise<WriteReceipt> {
  return socialUserAction(client, "Unfollow", params.userId);
}

/** Subscribe to a user's uploads. */
export function subscribeUser(client: AsixClient, params: FollowUserParameters): Promise<WriteReceipt> {
  return socialUserAction(client, "Subscribe", params.userId);
}

/** Stop a subscription. */
export function unsubscribeUser(client: AsixClient, params: FollowUserParameters): Promise<WriteReceipt> {
  return socialUserAction(client, "Unsubscribe", params.userId);
}
