import { keccak256, toUtf8Bytes } from "ethers";
import { Prng } from "./prng";

/**
 * The seeded catalog as data: who the artists are, what their tracks sound and look like, who
 * follows, saves, reposts and plays what. A pure function of the seed value and the counts, so the
 * same seed value always gives the same catalog (handles, titles, lengths, tones, graph).
 */

/** How big a catalog to seed; every field is optional. */
export interface SeedCounts {
  /** artists, each with an avatar (default 20) */
  artists?: number;
  /** tracks, dealt round-robin to the artists, each with cover art (default 100) */
  tracks?: number;
  /** playlists of other artists' tracks (default 10) */
  playlists?: number;
  /** albums, one per artist at most, of the artist's own tracks (default 10) */
  albums?: number;
  /** shortest and longest track, seconds (default 5 and 20) */
  seconds?: [number, number];
}

export const DEFAULT_SEED_COUNTS: Required<SeedCounts> = { artists: 20, tracks: 100, playlists: 10, albums: 10, seconds: [5, 20] };

export interface PlannedArtist {
  index: number;
  handle: string;
  name: string;
  bio: string;
  location: string;
  /** the artist's wallet: derived from the seed value, so a re-run finds the same users */
  privateKey: string;
  /** avatar colours, as hues 0..359 */
  hues: [number, number];
}

export interface PlannedTrack {
  index: number;
  /** index of its artist */
  artist: number;
  title: string;
  genre: string;
  mood: string;
  tags: string;
  seconds: number;
  /** the tone: a root and a second partial in Hz, and a tremolo rate in Hz */
  tone: { root: number; partial: number; tremolo: number };
  /** cover art colours, as hues 0..359, and its pattern */
  cover: { hues: [number, number]; stripes: number };
}

export interface PlannedPlaylist {
  index: number;
  /** index of its owner */
  artist: number;
  name: string;
  isAlbum: boolean;
  /** track indexes, in order */
  tracks: number[];
}

export interface SeedPlan {
  seedValue: number;
  artists: PlannedArtist[];
  tracks: PlannedTrack[];
  playlists: PlannedPlaylist[];
  /** [follower, followee] artist indexes */
  follows: Array<[number, number]>;
  /** [artist, track] */
  saves: Array<[number, number]>;
  reposts: Array<[number, number]>;
  /** [artist, playlist] */
  playlistSaves: Array<[number, number]>;
  /** [listener artist, track] */
  plays: Array<[number, number]>;
  /** the extra node operator's and the delegator's wallets */
  operatorKey: string;
  delegatorKey: string;
}

const ADJECTIVES = ["velvet", "neon", "quiet", "amber", "lunar", "static", "golden", "hollow", "crimson", "paper", "glass", "wild", "silver", "electric", "distant", "sunny", "midnight", "cobalt", "honey", "iron"];
const NOUNS = ["echo", "harbor", "signal", "orchard", "comet", "river", "engine", "garden", "lantern", "tide", "canyon", "circuit", "meadow", "mirror", "pulse", "atlas", "fable", "ember", "prism", "drift"];
const FIRST = ["Ada", "Bo", "Cleo", "Dario", "Esme", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kaia", "Lev", "Mira", "Nico", "Oona", "Pax", "Quinn", "Rosa", "Sami", "Theo", "Uma", "Vik", "Wren", "Yara", "Zeno"];
const CITIES = ["Berlin", "Lagos", "Lisbon", "Montreal", "Osaka", "Bogotá", "Melbourne", "Nairobi", "Reykjavík", "Seoul", "Austin", "Marseille"];
const GENRES = ["Electronic", "Ambient", "Hip-Hop/Rap", "Pop", "Rock", "Jazz", "Techno", "House", "Lo-Fi", "Experimental", "Folk", "Soul"];
const MOODS = ["Peaceful", "Energizing", "Melancholy", "Upbeat", "Dreamy", "Brooding", "Romantic", "Fiery"];
const WORDS = ["Morning", "Signal", "Halflight", "Afterglow", "Static", "Bloom", "Undertow", "Satellite", "Paper Moon", "Slow Motion", "Riverbed", "Night Bus", "Glasshouse", "Low Tide", "Overpass", "Firefly", "Longwave", "Saltwater", "Parallax", "Quiet Hours"];
const SUFFIXES = ["", "", "", " (Interlude)", " II", " (Live)", " (Reprise)", " Dub"];
/** A pentatonic-ish set of roots (Hz), so tones differ audibly but stay pleasant. */
const ROOTS = [130.81, 146.83, 164.81, 196.0, 220.0, 261.63, 293.66, 329.63, 392.0, 440.0];
const INTERVALS = [1.25, 1.3333, 1.5, 2];

/** A wallet key that depends only on the seed value and the role. */
export function seedKey(seedValue: number, role: string): string {
  return keccak256(toUtf8Bytes(`asix-devnet-seed:${seedValue}:${role}`));
}

export function planSeed(seedValue: number, counts: SeedCounts = {}): SeedPlan {
  const c = { ...DEFAULT_SEED_COUNTS, ...counts };
  if (!Number.isSafeInteger(seedValue) || seedValue < 0) throw new RangeError("seed value must be a non-negative integer");
  for (const k of ["artists", "tracks", "playlists", "albums"] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 0) throw new RangeError(`${k} must be a non-negative integer`);
  }
  if (c.artists < 1) throw new RangeError("artists must be at least 1");
  const [minSeconds, maxSeconds] = c.seconds;
  if (!(minSeconds >= 1 && maxSeconds >= minSeconds && maxSeconds <= 600)) throw new RangeError("seconds must be [min, max] with 1 ≤ min ≤ max ≤ 600");
  const rng = new Prng(seedValue);

  const adjectives = rng.sample(ADJECTIVES, ADJECTIVES.length);
  const nouns = rng.sample(NOUNS, NOUNS.length);
  const artists: PlannedArtist[] = Array.from({ length: c.artists }, (_, i) => {
    const adjective = adjectives[i % adjectives.length];
    const noun = nouns[(i * 7 + Math.floor(i / nouns.length)) % nouns.length];
    const first = rng.pick(FIRST);
    return {
      index: i,
      // the index keeps handles unique however many artists there are
      handle: `${adjective}_${noun}_${i + 1}`,
      name: `${first} ${noun[0].toUpperCase()}${noun.slice(1)}`,
      bio: `${first} makes ${rng.pick(GENRES).toLowerCase()} out of ${rng.pick(WORDS).toLowerCase()} sounds. Seeded catalog #${seedValue}.`,
      location: rng.pick(CITIES),
      privateKey: seedKey(seedValue, `artist:${i}`),
      hues: [rng.int(0, 359), rng.int(0, 359)],
    };
  });

  const tracks: PlannedTrack[] = Array.from({ length: c.tracks }, (_, i) => {
    const root = rng.pick(ROOTS);
    return {
      index: i,
      artist: i % c.artists,
      title: `${rng.pick(WORDS)} ${rng.pick(["No. ", "", "", ""])}${rng.int(1, 99)}${rng.pick(SUFFIXES)}`.replace(/ +/g, " "),
      genre: rng.pick(GENRES),
      mood: rng.pick(MOODS),
      tags: rng.sample(["seed", "devnet", "synth", "sine", "calm", "loud", "night", "summer", "loop"], 3).join(","),
      seconds: rng.int(minSeconds, maxSeconds),
      tone: { root, partial: Math.round(root * rng.pick(INTERVALS) * 100) / 100, tremolo: rng.int(1, 8) / 2 },
      cover: { hues: [rng.int(0, 359), rng.int(0, 359)], stripes: rng.int(2, 9) },
    };
  });
  const tracksOf = (artist: number) => tracks.filter((t) => t.artist === artist).map((t) => t.index);
  const others = (artist: number) => tracks.filter((t) => t.artist !== artist).map((t) => t.index);

  const playlists: PlannedPlaylist[] = [];
  for (let a = 0; a < Math.min(c.albums, c.artists); a++) {
    const own = tracksOf(a);
    if (own.length > 0) playlists.push({ index: playlists.length, artist: a, name: `${rng.pick(WORDS)} (${["LP", "EP"][own.length > 4 ? 0 : 1]})`, isAlbum: true, tracks: own });
  }
  for (let p = 0; p < c.playlists; p++) {
    const owner = rng.int(0, c.artists - 1);
    const pool = others(owner).length > 0 ? others(owner) : tracks.map((t) => t.index);
    playlists.push({ index: playlists.length, artist: owner, name: `${rng.pick(["Songs for", "Best of", "Late", "Sunday", "Deep"])} ${rng.pick(WORDS)}`, isAlbum: false, tracks: rng.sample(pool, rng.int(3, 8)) });
  }

  const follows: Array<[number, number]> = [];
  const saves: Array<[number, number]> = [];
  const reposts: Array<[number, number]> = [];
  const playlistSaves: Array<[number, number]> = [];
  const plays: Array<[number, number]> = [];
  const artistIndexes = artists.map((a) => a.index);
  for (const a of artistIndexes) {
    for (const b of rng.sample(artistIndexes.filter((x) => x !== a), rng.int(2, 5))) follows.push([a, b]);
    for (const t of rng.sample(others(a), rng.int(2, 5))) saves.push([a, t]);
    for (const t of rng.sample(others(a), rng.int(1, 3))) reposts.push([a, t]);
    const foreign = playlists.filter((p) => p.artist !== a).map((p) => p.index);
    for (const p of rng.sample(foreign, rng.int(0, 2))) playlistSaves.push([a, p]);
  }
  // Plays stay well under the discovery node's per-IP limits (10 a track, 600 an hour).
  for (const t of tracks) for (const listener of rng.sample(artistIndexes, rng.int(0, 3))) plays.push([listener, t.index]);

  return {
    seedValue,
    artists,
    tracks,
    playlists,
    follows,
    saves,
    reposts,
    playlistSaves,
    plays,
    operatorKey: seedKey(seedValue, "node-operator"),
    delegatorKey: seedKey(seedValue, "delegator"),
  };
}
