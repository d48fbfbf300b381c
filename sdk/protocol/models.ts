/**
 * Wire models of the discovery node's REST API (PROTOCOL.md §6), snake_case as on the wire: the
 * node's views produce them and the SDK's read layer parses them (then camelizes them for callers,
 * see sdk/models.ts). Ids are hashids. Fields that don't apply to Asix+ are present with neutral
 * values ("", false, 0) so that typed clients of the reference protocol accept them. Types only.
 */

export type { IndexedAction } from "./actions";
import type { AudioLoudness } from "./upload";

/** A user's square picture, one URL per size. */
export interface ProfilePicture {
  /** 150 × 150 px */
  "150x150": string;
  /** 480 × 480 px */
  "480x480": string;
  /** 1000 × 1000 px */
  "1000x1000": string;
}

/** A user's wide cover photo, one URL per size. */
export interface CoverPhoto {
  /** 640 px wide */
  "640x": string;
  /** 2000 px wide */
  "2000x": string;
}

/** Square artwork URLs of a track or playlist ("" when there is none). */
export type Artwork = ProfilePicture;

/** A user as the discovery node serves it. */
export interface User {
  /** hashid */
  id: string;
  /** unique, case-insensitive */
  handle: string;
  /** display name */
  name: string;
  /** the user's wallet on the data chain (lower case) */
  wallet: string;
  /** the same wallet (the reference protocol's field) */
  erc_wallet: string;
  /** "": Asix+ has no Solana wallets */
  spl_wallet: string;
  /** "": Asix+ has no Solana wallets */
  spl_usdc_wallet: string;
  /** ≤ 256 characters */
  bio: string;
  /** free text */
  location: string;
  /** image URLs on a content node; "" when the user has no picture */
  profile_picture: ProfilePicture;
  /** image URLs on a content node; "" when there is none */
  cover_photo: CoverPhoto;
  /** albums the user made */
  album_count: number;
  /** playlists (not albums) the user made */
  playlist_count: number;
  /** tracks the user published */
  track_count: number;
  /** users this user follows */
  followee_count: number;
  /** users who follow this user */
  follower_count: number;
  /** reposts this user made */
  repost_count: number;
  /** 0: tipping is not part of Asix+ */
  supporter_count: number;
  /** 0: tipping is not part of Asix+ */
  supporting_count: number;
  /** 0: balances are read from the eth chain (staking.balanceOf) */
  total_audio_balance: number;
  /** whether the verifier marked the user verified (social verification) */
  is_verified: boolean;
  /** false: verification goes through the identity service's OAuth provider */
  verified_with_twitter: boolean;
  /** false: see verified_with_twitter */
  verified_with_instagram: boolean;
  /** false: see verified_with_twitter */
  verified_with_tiktok: boolean;
  /** whether the user deactivated the account */
  is_deactivated: boolean;
  /** whether the user can be shown */
  is_available: boolean;
}

/** A track as the discovery node serves it, with its owner. */
export interface Track {
  /** hashid */
  id: string;
  /** the track's title */
  title: string;
  /** e.g. Electronic */
  genre: string;
  /** e.g. Peaceful */
  mood: string;
  /** comma-separated */
  tags: string;
  /** ≤ 2,500 characters */
  description: string;
  /** the owner */
  user: User;
  /** cover art URLs; "" when there is none */
  artwork: Artwork;
  /** seconds */
  duration: number;
  /** `/<handle>/<title-slug>-<track id>` */
  permalink: string;
  /** plays the discovery node recorded */
  play_count: number;
  /** reposts of this track */
  repost_count: number;
  /** saves of this track */
  favorite_count: number;
  /** 0: comments are not part of Asix+ */
  comment_count: number;
  /** whether the original may be downloaded */
  is_downloadable: boolean;
  /** whether the original file can be downloaded (downloadable, and kept) */
  is_original_available: boolean;
  /** whether it can be streamed now */
  is_streamable: boolean;
  /** CID of the 320 kbps rendition that streams */
  track_cid: string;
  /** CID of the 30 s preview; "" when none was made */
  preview_cid: string;
  /** CID of the uploaded file */
  orig_file_cid: string;
  /** the uploaded file's name */
  orig_filename: string;
  /** ISO date */
  release_date: string;
  /** ISO 8601, the block time of the Create */
  created_at: string;
  /** tempo in beats per minute, from the content node's analysis; null until analysed or when it failed (the reference's field) */
  bpm: number | null;
  /** musical key, e.g. "A minor"; null until analysed or when it failed (the reference's field) */
  musical_key: string | null;
  /** EBU R128 loudness and ReplayGain track gain; null until analysed or when it failed */
  loudness: AudioLoudness | null;
  /** CID of the waveform peaks (BBC audiowaveform JSON, at a content node's /ipfs/:cid); null until analysed */
  waveform_cid: string | null;
  /** failed parts of the content node's analysis (the reference's field) */
  audio_analysis_error_count: number;
}

/** One entry of a playlist's contents. */
export interface PlaylistTrackEntry {
  /** hashid */
  track_id: string;
  /** unix seconds, when the track was added */
  timestamp: number;
  /** unix seconds, block time of the update that wrote this list */
  metadata_timestamp: number;
}

/** A playlist or album as the discovery node serves it. */
export interface Playlist {
  /** hashid */
  id: string;
  /** its name */
  playlist_name: string;
  /** ≤ 2,500 characters */
  description: string;
  /** `/<handle>/playlist/<name-slug>-<playlist id>` (album for albums) */
  permalink: string;
  /** the owner */
  user: User;
  /** an album rather than a playlist */
  is_album: boolean;
  /** false: artwork is uploaded, never generated */
  is_image_autogenerated: boolean;
  /** image URLs; "" when there is none */
  artwork: Artwork;
  /** its tracks, in order */
  playlist_contents: PlaylistTrackEntry[];
  /** reposts of this playlist */
  repost_count: number;
  /** saves of this playlist */
  favorite_count: number;
  /** plays of its tracks */
  total_play_count: number;
  /** how many tracks it holds */
  track_count: number;
  /** whether its tracks may be streamed and downloaded */
  access: {
    /** whether its tracks may be streamed */
    stream: boolean;
    /** whether its tracks may be downloaded */
    download: boolean;
  };
}

/** An item of `/v1/users/:id/reposts`. */
export type Repost =
  | {
      /** ISO 8601, when it was reposted */
      timestamp: string;
      /** a track was reposted */
      item_type: "track";
      /** the reposted track */
      item: Track;
    }
  | {
      /** ISO 8601, when it was reposted */
      timestamp: string;
      /** a playlist was reposted */
      item_type: "playlist";
      /** the reposted playlist */
      item: Playlist;
    };

/** An item of `/v1/users/:id/favorites`. */
export interface Favorite {
  /** hashid of the saved track or playlist */
  favorite_item_id: string;
  /** whether a track or a playlist was saved */
  favorite_type: "SaveType.track" | "SaveType.playlist";
  /** hashid of the user who saved it */
  user_id: string;
  /** ISO 8601, when it was saved */
  created_at: string;
}

/** Every response: `{ data }`. */
export interface Envelope<T> {
  /** the answer */
  data: T;
}

/** `/v1/full/...` responses add the node's view of the chain and a signature over `{data, timestamp}`. */
export interface FullEnvelope<T> extends Envelope<T> {
  /** the data chain's head as the node saw it */
  latest_chain_block: number;
  /** the last block the node indexed */
  latest_indexed_block: number;
  /** EIP-191 signature of canonicalJson({data, timestamp}) by the node's delegate wallet */
  signature: string;
  /** ISO 8601 */
  timestamp: string;
  /** which service answered, at which protocol version */
  version: {
    /** which service answered */
    service: "discovery-node";
    /** its PROTOCOL_VERSION */
    version: string;
  };
}

/** Query of every list endpoint. */
export interface ListParams {
  /** default 0 */
  offset?: number;
  /** default 100, max 500 */
  limit?: number;
}

export interface SearchParams extends ListParams {
  /** the text to match */
  query: string;
}

/** The window trending is computed over. */
export type TrendingTime = "week" | "month" | "allTime";

export interface TrendingParams extends ListParams {
  /** default "week" */
  time?: TrendingTime;
  /** exact genre, case-insensitive */
  genre?: string;
}

/** The answer of /block_confirmation. */
export interface BlockConfirmation {
  /** whether the node indexed this block (number and hash) */
  block_found: boolean;
  /** whether the node has indexed up to or past its number */
  block_passed: boolean;
}
