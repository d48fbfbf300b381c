import type { AsixClient } from "../client";
import type { User } from "../models";
import type * as wire from "../protocol/models";
import { getData, hashIdOf, pagingOf, type ListParameters } from "../reads";

export interface GetFollowersParameters extends ListParameters {
  /** the user whose followers to list */
  userId: number | string;
}

/** The users who follow a user. */
export async function getFollowers(client: AsixClient, params: GetFollowersParameters): Promise<User[]> {
  return getData<wire.User[]>(client, `/v1/users/${hashIdOf(params.userId, "user id")}/followers`, pagingOf(params), "get followers", params);
}
