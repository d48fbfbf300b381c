import { AsixError } from "../errors";
import { encodeHashId } from "../hashids";
import { requireWallet, type AsixClient } from "../client";
import { unclaimedId } from "../reads";
import { manageEntity, type WriteReceipt } from "../writes";
import { assertApplied } from "./currentUser";
import type { CallOptions } from "../http";
import { withBudget } from "../callBudget";

/** What a handle may be: 1 to 30 letters, digits or underscores. */
export const HANDLE_PATTERN = /^[A-Za-z0-9_]{1,30}$/;

/** The new user's profile; `signal` and `timeoutMs` bound the whole write. */
export interface CreateUserParameters extends CallOptions {
  /** unique, case-insensitive, [A-Za-z0-9_]{1,30} */
  handle: string;
  /** display name; defaults to the handle */
  name?: string;
  /** ≤ 256 characters */
  bio?: string;
  /** free text, e.g. Berlin */
  location?: string;
  /** upload id of an img_square upload */
  profilePictureUploadId?: string;
  /** upload id of an img_backdrop upload */
  coverPhotoUploadId?: string;
}

export interface CreateUserResult extends WriteReceipt {
  /** the new user's hashid */
  userId: string;
}

/** Create the wallet's user. One wallet owns one user. */
export async function createUser(client: AsixClient, params: CreateUserParameters): Promise<CreateUserResult> {
  const wallet = requireWallet(client, "users.create");
  if (typeof params?.handle !== "string" || !HANDLE_PATTERN.test(params.handle)) {
    throw new AsixError("INVALID_INPUT", `handle must match [A-Za-z0-9_]{1,30}, got ${JSON.stringify(params?.handle)}`);
  }
  if (params.bio !== undefined && params.bio.length > 256) throw new AsixError("INVALID_INPUT", "bio must be at most 256 characters");
  return withBudget(params, "users.create", async (budget) => {
    const id = await unclaimedId(client, "users", budget.next());
    const receipt = await manageEntity(client, {
      userId: id,
      entityType: "User",
      entityId: id,
      action: "Create",
      data: {
        handle: params.handle,
        name: params.name ?? params.handle,
        bio: params.bio ?? "",
        location: params.location ?? "",
        profile_picture_sizes: params.profilePictureUploadId,
        cover_photo_sizes: params.coverPhotoUploadId,
        wallet: await wallet.getAddress(),
      },
      ...budget.next(),
    });
    await assertApplied(client, receipt, budget.next());
    client.userId = id;
    return { ...receipt, userId: encodeHashId(id) };
  });
}
