import type { SeededStaking } from "./staking";

/** A seeded artist. */
export interface SeededArtist {
  /** the user's handle */
  handle: string;
  /** the user's id, as the discovery node returns it */
  userId: string;
  /** the artist's wallet */
  address: string;
}

/** A seeded track. */
export interface SeededTrack {
  /** its title */
  title: string;
  /** its id, as the discovery node returns it */
  trackId: string;
  /** the owner's handle */
  artist: string;
  /** length of its audio */
  seconds: number;
}

/** A seeded playlist or album. */
export interface SeededPlaylist {
  /** its name */
  name: string;
  /** its id, as the discovery node returns it */
  playlistId: string;
  /** the owner's handle */
  artist: string;
  /** an album (true) or a playlist */
  isAlbum: boolean;
  /** how many tracks it holds */
  tracks: number;
}

/** What was seeded, with the hashids the discovery node knows it by. */
export interface SeedResult {
  /** the seed value the catalog was planned from */
  seed: number;
  /** the artists created */
  artists: SeededArtist[];
  /** the tracks uploaded */
  tracks: SeededTrack[];
  /** the playlists and albums created */
  playlists: SeededPlaylist[];
  /** follows made */
  follows: number;
  /** saves made (tracks and playlists) */
  saves: number;
  /** reposts made */
  reposts: number;
  /** plays counted by the discovery node */
  plays: number;
  /** the extra node operator and the delegator */
  staking: SeededStaking;
  /** wall time of the whole seed, ms */
  ms: number;
  /** true when the devnet was restored from the seed cache rather than seeded (see SeedDevnetOptions.cache) */
  fromCache: boolean;
}
