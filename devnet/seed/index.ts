import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { createAsix, isAsixError, AsixError, type Asix } from "../../sdk";
import type { DevnetState } from "../state";
import { AUDIO_RENDER_CONCURRENCY, defaultAudioCacheDir, limiter, makeMediaDir, renderAudio, renderAvatar, renderCover } from "./media";
import { planSeed, type SeedCounts, type SeedPlan } from "./plan";
import { seedStaking } from "./staking";
import type { SeedResult } from "./result";
import { defaultSeedCacheDir, seedCacheEntry } from "./cache";

export { planSeed, DEFAULT_SEED_COUNTS, type SeedCounts, type SeedPlan } from "./plan";
export type { SeedResult, SeededArtist, SeededPlaylist, SeededTrack } from "./result";
export { defaultSeedCacheDir, SEED_CACHE_VERSION } from "./cache";

/** How to seed; every field is optional. */
export interface SeedDevnetOptions {
  /** the seed value: the same value always gives the same catalog (default 1) */
  seed?: number;
  /** how big a catalog (default 20 artists, 100 tracks, 10 playlists, 10 albums) */
  counts?: SeedCounts;
  /** where the generated media go while they upload (default the OS temp dir); removed afterwards */
  workDir?: string;
  /**
   * where rendered track audio is kept for the next seed, by content (default a folder in the OS
   * temp dir, shared by every devnet); false renders every track afresh and keeps nothing
   */
  audioCache?: string | false;
  /**
   * The seed cache (devnet/seed/README.md): where seeded devnets are kept, by everything the result
   * depends on (default a folder in the OS temp dir, shared by every devnet on this machine); false
   * always seeds for real and keeps nothing. Only a pristine persistent devnet (nothing written to it
   * since it was created) is restored from the cache, or saved to it after its seed.
   */
  cache?: string | false;
  /** progress lines for people */
  log?: (line: string) => void;
}

/**
 * Tracks (and avatars) in flight at once, each from its upload through the transcode to its write:
 * enough to keep every content node's transcode workers busy; the POSTs themselves are short, so
 * this stays under the nodes' per-address limit of concurrent uploads (8 each).
 */
const UPLOAD_CONCURRENCY = 8;
/**
 * How often the seed's clients ask whether an upload is transcoded or a write indexed (the SDK's
 * default is 50 ms, for one app's one write). With 8 uploads and 16 writes in flight, that made
 * hundreds of requests a second to the devnet, whose one main thread is what the seed waits on.
 */
const POLL_INTERVAL_MS = 100;
/** Signed actions in flight at once: the data chain packs many relayed transactions per block. */
const WRITE_CONCURRENCY = 16;

/**
 * Fill a running devnet with a realistic catalog, through the SDK as any app would: each artist's
 * wallet signs its own actions (the identity service relays them), audio and images are real files
 * uploaded to the content nodes, plays are real streams. Deterministic for a seed value (names,
 * handles, lengths, tones, the social graph); ids are the discovery node's.
 * CONFLICT when this seed value was already seeded on this devnet.
 */
export async function seedDevnet(devnet: DevnetState, options: SeedDevnetOptions = {}): Promise<SeedResult> {
  const started = Date.now();
  const seed = options.seed ?? 1;
  let plan: SeedPlan;
  try {
    plan = planSeed(seed, options.counts);
  } catch (e) {
    throw new AsixError("INVALID_INPUT", (e as Error).message, { cause: e });
  }
  const log = options.log ?? (() => undefined);
  const clients = plan.artists.map((a) => createAsix({ network: devnet, wallet: a.privateKey, pollIntervalMs: POLL_INTERVAL_MS }));
  await refuseIfSeeded(clients[0], plan);
  const cache = options.cache === false ? undefined : await seedCacheEntry(devnet, plan, options.cache ?? defaultSeedCacheDir(), log);
  const cached = await cache?.restore();
  if (cached) {
    log(`restored from the seed cache (${cache!.key.slice(0, 12)})`);
    return { ...cached, fromCache: true, ms: Date.now() - started };
  }
  const result = await seedForReal(devnet, plan, clients, options, log);
  result.ms = Date.now() - started;
  if (cache) {
    await cache.save(result).then(
      () => log(`kept in the seed cache (${cache.key.slice(0, 12)})`),
      (e: unknown) => log(`not kept in the seed cache: ${(e as Error).message}`),
    );
  }
  return result;
}

async function seedForReal(devnet: DevnetState, plan: SeedPlan, clients: Asix[], options: SeedDevnetOptions, log: (line: string) => void): Promise<SeedResult> {
  const started = Date.now();
  const seed = plan.seedValue;

  const mediaDir = makeMediaDir(options.workDir ?? os.tmpdir());
  try {
    const renderQueue = limiter(AUDIO_RENDER_CONCURRENCY);
    const uploadQueue = limiter(UPLOAD_CONCURRENCY);
    const writeQueue = limiter(WRITE_CONCURRENCY);
    // sharp works in libuv's thread pool, which the devnet's nodes (often in this same process) need
    // for their files: two images at a time leave them room to answer health checks.
    const imageQueue = limiter(AUDIO_RENDER_CONCURRENCY);
    const retries: Record<string, number> = {};
    const onRetry = (code: string) => (retries[code] = (retries[code] ?? 0) + 1);
    const upload = <T>(call: () => Promise<T>) => uploadQueue(() => retryRefused(call, { unreached: true, onRetry }));
    const act = <T>(call: () => Promise<T>) => writeQueue(() => retryRefused(call, { unreached: false, onRetry }));
    // A social action sent twice changes nothing, so one whose answer never came is sent again.
    const social = <T>(call: () => Promise<T>) => act(() => call().catch((e) => (unanswered(e) ? call() : Promise.reject(e))));
    const audioCache = options.audioCache === false ? undefined : (options.audioCache ?? defaultAudioCacheDir());
    // Rendering starts at once, in track order, so audio is ready by the time each upload asks for it.
    const audio = plan.tracks.map((t) => renderQueue(() => renderAudio(t, mediaDir, audioCache)));
    audio.forEach((p) => p.catch(() => undefined)); // awaited below; a failure is reported there
    const staking = seedStaking(devnet, plan);
    staking.catch(() => undefined);

    const createArtist = async (i: number): Promise<string> => {
      const artist = plan.artists[i];
      const avatar = await imageQueue(() => renderAvatar(artist, mediaDir));
      const picture = await upload(() => clients[i].content.upload({ file: avatar, template: "img_square" }));
      const create = () => clients[i].users.create({ handle: artist.handle, name: artist.name, bio: artist.bio, location: artist.location, profilePictureUploadId: picture.id });
      try {
        return (await act(create)).userId;
      } catch (e) {
        if (!unanswered(e)) throw e;
        // No answer on a busy machine: the user may exist all the same (its wallet is this artist's).
        const existing = await clients[i].users.getByHandle(artist.handle).catch(() => undefined);
        if (existing && existing.wallet.toLowerCase() === new Wallet(artist.privateKey).address.toLowerCase()) return existing.id;
        return (await act(create)).userId;
      }
    };

    // Each artist, with avatar, then its tracks in order (so its album lists them in order); artists
    // in parallel, so one artist's tracks upload while others are still being created.
    const userIds: string[] = new Array(plan.artists.length);
    const trackIds: string[] = new Array(plan.tracks.length);
    let created = 0;
    await Promise.all(
      plan.artists.map(async (artist, i) => {
        userIds[i] = await createArtist(i);
        if (++created === plan.artists.length) log(`${plan.artists.length} artists`);
        for (const track of plan.tracks.filter((t) => t.artist === artist.index)) {
          const [file, cover] = await Promise.all([audio[track.index], imageQueue(() => renderCover(track, mediaDir))]);
          const uploaded = await upload(() =>
            clients[i].tracks.upload(file, { title: track.title, genre: track.genre, mood: track.mood, tags: track.tags, description: `${track.seconds} s of ${track.tone.root} Hz` }, { cover }),
          );
          trackIds[track.index] = uploaded.trackId;
          fs.rmSync(file, { force: true });
        }
      }),
    );
    log(`${plan.tracks.length} tracks`);

    // Playlists and albums, then the social graph; each artist's actions in order, artists in parallel.
    const playlistIds: string[] = new Array(plan.playlists.length);
    await Promise.all(
      plan.artists.map(async (artist, i) => {
        for (const p of plan.playlists.filter((x) => x.artist === artist.index)) {
          const { playlistId } = await act(() => clients[i].playlists.create({ name: p.name, isAlbum: p.isAlbum, trackIds: p.tracks.map((t) => trackIds[t]) }));
          playlistIds[p.index] = playlistId;
        }
      }),
    );
    const mine = <T>(pairs: Array<[number, T]>, artist: number) => pairs.filter(([a]) => a === artist).map(([, x]) => x);
    await Promise.all(
      plan.artists.map(async (artist, i) => {
        const asix = clients[i];
        for (const b of mine(plan.follows, artist.index)) await social(() => asix.users.follow(userIds[b]));
        for (const t of mine(plan.saves, artist.index)) await social(() => asix.tracks.save(trackIds[t]));
        for (const t of mine(plan.reposts, artist.index)) await social(() => asix.tracks.repost(trackIds[t]));
        for (const p of mine(plan.playlistSaves, artist.index)) await social(() => asix.playlists.save(playlistIds[p]));
      }),
    );
    log(`${plan.follows.length} follows, ${plan.saves.length + plan.playlistSaves.length} saves, ${plan.reposts.length} reposts`);

    // Plays: a stream from byte 0 with a listener's signature is what a content node reports.
    await Promise.all(
      plan.artists.map(async (artist, i) => {
        for (const t of mine(plan.plays, artist.index)) {
          await act(async () => {
            const { stream } = await clients[i].tracks.stream(trackIds[t], { range: { start: 0, end: 1023 } });
            await new Response(stream).arrayBuffer();
          });
        }
      }),
    );
    const plays = await waitForPlays(devnet.services.discovery[0], trackIds, plan.plays.length);
    log(`${plays} plays`);
    const stakingResult = await staking;
    // a seed that waited on refusals says so: rate limits are what would slow it down unseen
    if (Object.keys(retries).length > 0) log(`retried after a refusal: ${Object.entries(retries).map(([code, n]) => `${n} ${code}`).join(", ")}`);
    log(`node operator ${stakingResult.operator} staked; delegator ${stakingResult.delegator} delegated`);

    return {
      seed,
      artists: plan.artists.map((a, i) => ({ handle: a.handle, userId: userIds[i], address: new Wallet(a.privateKey).address })),
      tracks: plan.tracks.map((t) => ({ title: t.title, trackId: trackIds[t.index], artist: plan.artists[t.artist].handle, seconds: t.seconds })),
      playlists: plan.playlists.map((p) => ({ name: p.name, playlistId: playlistIds[p.index], artist: plan.artists[p.artist].handle, isAlbum: p.isAlbum, tracks: p.tracks.length })),
      follows: plan.follows.length,
      saves: plan.saves.length + plan.playlistSaves.length,
      reposts: plan.reposts.length,
      plays,
      staking: stakingResult,
      ms: Date.now() - started,
      fromCache: false,
    };
  } finally {
    fs.rmSync(mediaDir, { recursive: true, force: true });
  }
}

/**
 * A request that got no answer: it timed out, or the connection closed before a response (a busy
 * machine's keep-alive race). It may or may not have been acted on, so only idempotent work, or work
 * whose outcome is checked first, is sent again.
 */
function unanswered(e: unknown): boolean {
  return isAsixError(e, "TIMEOUT") || (isAsixError(e, "NODE_UNAVAILABLE") && (e.details as { status?: unknown } | undefined)?.status === undefined);
}

/** The first artist's handle is taken once this seed value has run on this devnet. */
async function refuseIfSeeded(asix: Asix, plan: SeedPlan): Promise<void> {
  const handle = plan.artists[0].handle;
  try {
    await asix.users.getByHandle(handle);
  } catch (e) {
    if (isAsixError(e, "NOT_FOUND")) return;
    throw e;
  }
  throw new AsixError("CONFLICT", `this devnet is already seeded with seed value ${plan.seedValue} (@${handle} exists); use another --seed-value or reset the devnet`);
}

/**
 * Try again what a node refused without acting on it: past the content nodes' per-address upload
 * limit (the seed uploads from one address), after as long as the node says; and a 503, which a
 * node answers only when it did nothing (a relay whose chain or index lookup timed out on a busy
 * machine). A social action sent twice changes nothing, so a retry never doubles one. With
 * `unreached` (uploads), also when no content node could be reached: nothing was sent.
 */
async function retryRefused<T>(call: () => Promise<T>, options: { unreached: boolean; onRetry: (code: string) => void }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const status = (e as { details?: { status?: unknown } }).details?.status;
      const retryable = isAsixError(e, "RATE_LIMITED") || (isAsixError(e, "NODE_UNAVAILABLE") && (status === 503 || options.unreached));
      if (!retryable || attempt >= 5) throw e;
      options.onRetry(e.code);
      const seconds = Number((e.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds) || attempt;
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
  }
}

/**
 * Content nodes report plays in the background; wait until the discovery node has counted them all
 * (or stops counting: a report can be lost, which costs a play, never the seed).
 */
async function waitForPlays(discoveryUrl: string, trackIds: string[], expected: number): Promise<number> {
  const ids = new Set(trackIds);
  let counted = -1;
  for (let stalls = 0; stalls < 20; ) {
    const recent = await fetch(`${discoveryUrl}/v1/tracks/recent?limit=500`)
      .then((res) => (res.ok ? (res.json() as Promise<{ data: Array<{ id: string; play_count: number }> }>) : undefined))
      .catch(() => undefined);
    const now = (recent?.data ?? []).filter((t) => ids.has(t.id)).reduce((sum, t) => sum + t.play_count, 0);
    if (now >= expected) return now;
    stalls = now === counted ? stalls + 1 : 0;
    counted = now;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return counted;
}
