import { AsixError } from "../errors";
import type { AsixClient } from "../client";
import { manageEntity, type WriteReceipt } from "../writes";
import { uploadFile } from "../content/upload";
import type { FileInput } from "../content/multipart";
import { assertApplied, resolveUserId } from "./currentUser";
import type { CallOptions } from "../http";
import { withBudget } from "../callBudget";

/** Profile fields to change; those left out stay. `signal` and `timeoutMs` bound the whole write. */
export interface UpdateUserParameters extends CallOptions {
  /** display name */
  name?: string;
  /** ≤ 256 characters */
  bio?: string;
  /** free text */
  location?: string;
  /** upload id of an img_square upload */
  profilePictureUploadId?: string;
  /** upload id of an img_backdrop upload */
  coverPhotoUploadId?: string;
}

/** Change the wallet's user profile; fields left out stay as they are. */
export async function updateUser(client: AsixClient, params: UpdateUserParameters): Promise<WriteReceipt> {
  if (params.bio !== undefined && params.bio.length > 256) throw new AsixError("INVALID_INPUT", "bio must be at most 256 characters");
  const data: Record<string, unknown> = {
    name: params.name,
    bio: params.bio,
    location: params.location,
    profile_picture_sizes: params.profilePictureUploadId,
    cover_photo_sizes: params.coverPhotoUploadId,
  };
  if (Object.values(data).every((v) => v === undefined)) throw new AsixError("INVALID_INPUT", "nothing to update");
  return withBudget(params, "users.update", async (budget) => {
    const userId = await resolveUserId(client, "users.update", budget.next());
    const receipt = await manageEntity(client, { userId, entityType: "User", entityId: userId, action: "Update", data, ...budget.next() });
    await assertApplied(client, receipt, budget.next());
    return receipt;
  });
}

/** Profile fields to change, with images to upload first. */
export interface UpdateProfileParameters extends Omit<UpdateUserParameters, "profilePictureUploadId" | "coverPhotoUploadId"> {
  /** square image (path, bytes or stream): 150x150, 480x480, 1000x1000 */
  profilePicture?: FileInput;
  /** wide image: 640x, 2000x */
  coverPhoto?: FileInput;
}

/** Upload a profile picture and/or cover photo to a content node, then update the profile; `timeoutMs` bounds uploads and write together. */
export async function updateProfile(client: AsixClient, params: UpdateProfileParameters): Promise<WriteReceipt> {
  const { profilePicture, coverPhoto, signal, timeoutMs, ...rest } = params;
  return withBudget({ signal, timeoutMs }, "users.updateProfile", async (budget) => {
    // The budget bounds the processing too, not only the upload requests.
    const uploads = budget.next();
    const bounded = { ...uploads, processTimeoutMs: uploads.timeoutMs };
    const [picture, cover] = await Promise.all([
      profilePicture === undefined ? undefined : uploadFile(client, { file: profilePicture, template: "img_square", ...bounded }),
      coverPhoto === undefined ? undefined : uploadFile(client, { file: coverPhoto, template: "img_backdrop", ...bounded }),
    ]);
    return updateUser(client, { ...rest, profilePictureUploadId: picture?.id, coverPhotoUploadId: cover?.id, ...budget.next() });
  });
}
