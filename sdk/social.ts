import type { AsixClient } from "./client";
import { toEntityId } from "./hashids";
import { manageEntity, type WriteReceipt } from "./writes";
import { assertApplied, resolveUserId } from "./users/currentUser";

/** A social action on a track or playlist. */
export type SocialAction = "Save" | "Unsave" | "Repost" | "Unrepost";

/**
 * Save, repost and their undos, on a track or a playlist (PROTOCOL.md §3: entityType is the target).
 * A duplicate changes nothing.
 */
export async function socialAction(
  client: AsixClient,
  entityType: "Track" | "Playlist",
  action: SocialAction,
  id: number | string,
  options: { isSaveOfRepost?: boolean } = {},
): Promise<WriteReceipt> {
  const userId = await resolveUserId(client, `${entityType.toLowerCase()}s.${action.toLowerCase()}`);
  const receipt = await manageEntity(client, {
    userId,
    entityType,
    entityId: toEntityId(id, `${entityType.toLowerCase()} id`),
    action,
    rawMetadata: action === "Save" && options.isSaveOfRepost ? JSON.stringify({ is_save_of_repost: true }) : "",
  });
  await assertApplied(client, receipt);
  return receipt;
}
