import type { AsixClient } from "./client";
import { toEntityId } from "./hashids";
import { manageEntity, type WriteReceipt } from "./writes";
import { assertApplied, resolveUserId } from "./users/currentUser";
import type { CallOptions } from "./http";
import { withBudget } from "./callBudget";

/** A social action on a track or playlist. */
export type SocialAction = "Save" | "Unsave" | "Repost" | "Unrepost";

/** How to save or repost: `signal` and `timeoutMs` bound the whole write. */
export interface SocialActionOptions extends CallOptions {
  /** a save of something reposted (the feed credits the repost) */
  isSaveOfRepost?: boolean;
}

/**
 * Save, repost and their undos, on a track or a playlist (PROTOCOL.md §3: entityType is the target).
 * A duplicate changes nothing.
 */
export async function socialAction(
  client: AsixClient,
  entityType: "Track" | "Playlist",
  action: SocialAction,
  id: number | string,
  options: SocialActionOptions = {},
): Promise<WriteReceipt> {
  const context = `${entityType.toLowerCase()}s.${action.toLowerCase()}`;
  return withBudget(options, context, async (budget) => {
    const userId = await resolveUserId(client, context, budget.next());
    const receipt = await manageEntity(client, {
      userId,
      entityType,
      entityId: toEntityId(id, `${entityType.toLowerCase()} id`),
      action,
      rawMetadata: action === "Save" && options.isSaveOfRepost ? JSON.stringify({ is_save_of_repost: true }) : "",
      ...budget.next(),
    });
    await assertApplied(client, receipt, budget.next());
    return receipt;
  });
}
