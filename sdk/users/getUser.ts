import type { AsixClient } from "../client";
import type { User } from "../models";
import type * as wire from "../protocol/models";
import { getData, hashIdOf } from "../reads";
import type { CallOptions } from "../http";

export type GetUserParameters = number | string;
export type GetUserResult = User;

/** A user by id (integer or hashid). NOT_FOUND if there is none. */
export async function getUser(client: AsixClient, id: GetUserParameters, options: CallOptions = {}): Promise<GetUserResult> {
  return getData<wire.User>(client, `/v1/users/${hashIdOf(id, "user id")}`, undefined, "get user", options);
}

/** A user by handle (case-insensitive). NOT_FOUND if there is none. */
export async function getUserByHandle(client: AsixClient, handle: string, options: CallOptions = {}): Promise<User> {
  return getData<wire.User>(client, `/v1/users/handle/${encodeURIComponent(handle.replace(/^@/, ""))}`, undefined, "get user by handle", options);
}
