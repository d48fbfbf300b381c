import type { AsixClient } from "../client";
import type { Track } from "../models";
import type * as wire from "../protocol/models";
import { getData, hashIdOf } from "../reads";
import type { CallOptions } from "../http";

/** A track by id (integer or hashid). NOT_FOUND if there is none. */
export async function getTrack(client: AsixClient, id: number | string, options: CallOptions = {}): Promise<Track> {
  return getData<wire.Track>(client, `/v1/tracks/${hashIdOf(id, "track id")}`, undefined, "get track", options);
}
