import { AsixError } from "../errors";
import type { AsixClient } from "../client";
import { manageEntity, type WriteReceipt } from "../writes";
import { uploadFile } from "../content/upload";
import type { FileInput } from "../content/multipart";
import { assertApplied, resolveUserId } from "./currentUser";

/** Profile fields to change; those left out stay. */
export interface UpdateUserParameters {
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
  const userId = await resolveUserId(client, "users.update");
  const receipt = await manageEntity(client, { userId, entityType: "User", entityId: userId, action: "Update", data });
  await assertApplied(client, receipt);
  return receipt;
}

/** Profile fields to change, with images to upload first. */
export interface UpdateProfileParameters extends Omit<UpdateUserParameters, "profilePictureUploadId" | "coverPhotoUploadId"> {
  /** square image (path, bytes or stream): 150x150, 480x480, 1000x1000 */
  profilePicture?: FileInput;
  /** wide image: 640x, 2000x */
  coverPhoto?: FileInput;
}

/** Upload a profile picture and/or cover photo to a content node, then update the profile. */
export async function updateProfile(client: AsixClient, params: UpdateProfileParameters): Promise<WriteReceipt> {
  const { profilePicture, coverPhoto, ...rest } = params;
  const [picture, cover] = await Promise.all([
    profilePicture === undefined ? undefined : uploadFile(client, { file: profilePicture, template: "img_square" }),
    coverPhoto === undefined ? undefined : uploadFile(client, { file: coverPhoto, template: "img_backdrop" }),
  ]);
  return updateUser(client, { ...rest, profilePictureUploadId: picture?.id, coverPhotoUploadId: cover?.id });
}
