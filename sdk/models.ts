/**
 * The discovery node's models as the SDK returns them: camelCase (`playCount`, `profilePicture`),
 * derived from the snake_case wire models in `./protocol/models` by `Camelized`. Ids are hashid
 * strings; image size keys such as `"150x150"` are unchanged. Types only.
 */
import type { Camelized } from "./casing";
import type * as wire from "./protocol/models";

export type { Camelized, CamelKey } from "./casing";
export type { ProfilePicture, CoverPhoto, Artwork, ListParams, SearchParams, TrendingTime, TrendingParams } from "./protocol/models";

/** A user as the SDK returns it (the discovery node's User, camelCase). */
export type User = Camelized<wire.User>;
/** A track as the SDK returns it, with its owner in `user` (camelCase). */
export type Track = Camelized<wire.Track>;
/** One entry of a playlist's contents: a track id and when it was added. */
export type PlaylistTrackEntry = Camelized<wire.PlaylistTrackEntry>;
/** A playlist or album as the SDK returns it (camelCase). */
export type Playlist = Camelized<wire.Playlist>;
/** An item of a user's reposts: `itemType` says whether `item` is a Track or a Playlist. */
export type Repost = Camelized<wire.Repost>;
/** An item of a user's favorites. */
export type Favorite = Camelized<wire.Favorite>;
/** Whether the discovery node has indexed a block, and whether it is past it. */
export type BlockConfirmation = Camelized<wire.BlockConfirmation>;
/** The outcome of one indexed action, as `/v1/full/transactions/:txhash` reports it. */
export type IndexedAction = Camelized<wire.IndexedAction>;

/** Health answers of the three services; their one home is the protocol module. */
export type {
  ContentNodeHealth,
  ContentNodeHealthData,
  DiscoveryHealth,
  DiscoveryHealthData,
  IdentityHealth,
  NetworkContentNode,
  NetworkDiscoveryNode,
} from "./protocol/health";
