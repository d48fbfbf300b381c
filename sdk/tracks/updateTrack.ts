import { AsixError } from "../errors";
import { toEntityId } from "../hashids";
import type { AsixClient } from "../client";
import { manageEntity, type WriteReceipt } from "../writes";
import { assertApplied, resolveUserId } from "../users/currentUser";
import type { TrackMetadata } from "./uploadTrack";
import type { CallOptions } from "../http";
import { withBudget } from "../callBudget";

/** Track fields to change; those left out stay. `signal` and `timeoutMs` bound the whole write. */
export type UpdateTrackParameters = Partial<Omit<TrackMetadata, "previewStartSeconds">> & CallOptions & {
  /** upload id of a new img_square cover */
  coverArtUploadId?: string;
};

/** Change a track's metadata (owner only); fields left out stay as they are. */
export async function updateTrack(client: AsixClient, trackId: number | string, params: UpdateTrackParameters): Promise<WriteReceipt> {
  if (params.title !== undefined && params.title.trim() === "") throw new AsixError("INVALID_INPUT", "title must not be empty");
  if (params.description !== undefined && params.description.length > 2500) throw new AsixError("INVALID_INPUT", "description must be at most 2,500 characters");
  const data: Record<string, unknown> = {
    title: params.title,
    genre: params.genre,
    mood: params.mood,
    tags: params.tags,
    description: params.description,
    release_date: params.releaseDate,
    is_downloadable: params.isDownloadable,
    cover_art_sizes: params.coverArtUploadId,
  };
  if (Object.values(data).every((v) => v === undefined)) throw new AsixError("INVALID_INPUT", "nothing to update");
  const entityId = toEntityId(trackId, "track id");
  return withBudget(params, "tracks.update", async (budget) => {
    const userId = await resolveUserId(client, "tracks.update", budget.next());
    const receipt = await manageEntity(client, { userId, entityType: "Track", entityId, action: "Update", data: { owner_id: userId, ...data }, ...budget.next() });
    await assertApplied(client, receipt, budget.next());
    return receipt;
  });
}

/** Delete a track (owner only); `signal` and `timeoutMs` bound the whole write. */
export async function deleteTrack(client: AsixClient, trackId: number | string, options: CallOptions = {}): Promise<WriteReceipt> {
  const entityId = toEntityId(trackId, "track id");
  return withBudget(options, "tracks.delete", async (budget) => {
    const userId = await resolveUserId(client, "tracks.delete", budget.next());
    const receipt = await manageEntity(client, { userId, entityType: "Track", entityId, action: "Delete", ...budget.next() });
    await assertApplied(client, receipt, budget.next());
    return receipt;
  });
}
