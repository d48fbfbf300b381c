import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { startDevnet, type Devnet } from "../../devnet";
import { planSeed, seedDevnet, type SeedCounts, type SeedResult } from "../../devnet/seed";
import { createAsix } from "../../sdk";
import { asix } from "../helpers/cli";

/** A small catalog: the test checks that everything arrives and survives a restart, not that 100 tracks do. */
const COUNTS: SeedCounts = { artists: 4, tracks: 8, playlists: 2, albums: 2, seconds: [3, 6] };
const SEED = 7;

interface Catalog {
  handles: string[];
  titles: string[];
  playlists: string[];
  followers: number;
  saves: number;
  reposts: number;
  plays: number;
  withAvatar: number;
  withCover: number;
}

/** What the discovery node shows of the seeded artists: read through its public API only. */
async function catalogOf(devnet: Devnet, handles: string[]): Promise<Catalog> {
  const asix = createAsix({ network: devnet });
  const catalog: Catalog = { handles: [], titles: [], playlists: [], followers: 0, saves: 0, reposts: 0, plays: 0, withAvatar: 0, withCover: 0 };
  for (const handle of handles) {
    const user = await asix.users.getByHandle(handle);
    catalog.handles.push(user.handle);
    catalog.followers += user.followerCount;
    if (user.profilePicture?.["150x150"]) catalog.withAvatar++;
    for (const track of await asix.users.tracks(user.id)) {
      catalog.titles.push(track.title);
      catalog.saves += track.favoriteCount;
      catalog.reposts += track.repostCount;
      catalog.plays += track.playCount;
      if (track.artwork?.["480x480"]) catalog.withCover++;
    }
    for (const playlist of await asix.users.playlists(user.id)) {
      catalog.playlists.push(playlist.playlistName);
      catalog.saves += playlist.favoriteCount;
    }
  }
  catalog.titles.sort();
  catalog.playlists.sort();
  return catalog;
}

describe("devnet seed", function () {
  this.timeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-seed-"));
  let devnet: Devnet | undefined;
  let seeded: SeedResult;
  let seededCatalog: Catalog;
  const plan = planSeed(SEED, COUNTS);
  const handles = plan.artists.map((a) => a.handle);

  after(async () => {
    await devnet?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("plans the same catalog for the same seed value, and another for another", () => {
    const again = planSeed(SEED, COUNTS);
    expect(again.artists.map((a) => a.handle)).to.deep.equal(handles);
    expect(again.tracks.map((t) => [t.title, t.seconds, t.tone])).to.deep.equal(plan.tracks.map((t) => [t.title, t.seconds, t.tone]));
    expect(again.follows).to.deep.equal(plan.follows);
    const other = planSeed(SEED + 1, COUNTS);
    expect(other.artists.map((a) => a.handle)).to.not.deep.equal(handles);
    expect(other.tracks.map((t) => t.title)).to.not.deep.equal(plan.tracks.map((t) => t.title));
  });

  it("fills a running devnet with artists, tracks, playlists, albums, the social graph, plays and stakers", async () => {
    devnet = await startDevnet({ dir, persist: true, contentNodes: 2, logs: false });
    // a real seed, never the seed cache's copy (test/devnet/seedCache.test.ts tests that)
    seeded = await seedDevnet(devnet, { seed: SEED, counts: COUNTS, cache: false });
    expect(seeded.artists.map((a) => a.handle)).to.deep.equal(handles);
    expect(seeded.tracks.map((t) => t.title)).to.deep.equal(plan.tracks.map((t) => t.title));
    expect(seeded.plays).to.equal(plan.plays.length);

    seededCatalog = await catalogOf(devnet, handles);
    expect(seededCatalog.handles).to.deep.equal(handles);
    expect(seededCatalog.titles).to.deep.equal(plan.tracks.map((t) => t.title).sort());
    expect(seededCatalog.playlists).to.deep.equal(plan.playlists.map((p) => p.name).sort());
    expect(seededCatalog.followers).to.equal(plan.follows.length);
    expect(seededCatalog.saves).to.equal(plan.saves.length + plan.playlistSaves.length);
    expect(seededCatalog.reposts).to.equal(plan.reposts.length);
    expect(seededCatalog.plays).to.equal(plan.plays.length);
    expect(seededCatalog.withAvatar).to.equal(COUNTS.artists);
    expect(seededCatalog.withCover).to.equal(COUNTS.tracks);

    const asix = createAsix({ network: devnet });
    const track = await asix.tracks.get(seeded.tracks[0].trackId);
    expect(track.duration).to.be.within(3, 7);
    const albums = seeded.playlists.filter((p) => p.isAlbum);
    expect(albums).to.have.length(2);
    const operator = await asix.staking.getServiceProvider(seeded.staking.operator);
    expect(operator.deployerStake).to.equal(BigInt(seeded.staking.stake));
    const delegators = await asix.staking.getDelegators(seeded.staking.operator);
    expect(delegators.map((d) => d.delegator)).to.deep.equal([seeded.staking.delegator]);
    expect(delegators[0].amount).to.equal(BigInt(seeded.staking.delegated));
  });

  it("refuses to seed the same seed value twice, changing nothing", async () => {
    const err = await seedDevnet(devnet!, { seed: SEED, counts: COUNTS }).catch((e) => e);
    expect(err.code).to.equal("CONFLICT");
    expect(err.message).to.contain(`already seeded with seed value ${SEED}`);
  });

  it("keeps everything after down and up", async () => {
    await devnet!.stop();
    devnet = undefined;
    devnet = await startDevnet({ dir, persist: true, contentNodes: 2, logs: false });
    expect(await catalogOf(devnet, handles)).to.deep.equal(seededCatalog);
    // the audio itself is still there, not only the index
    const asix = createAsix({ network: devnet });
    const { stream, status } = await asix.tracks.stream(seeded.tracks[1].trackId, { range: { start: 0, end: 99 } });
    expect(status).to.equal(206);
    expect((await new Response(stream).arrayBuffer()).byteLength).to.equal(100);
  });

  it("asix devnet seed seeds another seed value beside it, and refuses one already seeded", async () => {
    const other = planSeed(SEED + 1, { artists: 2, tracks: 2 });
    const seededByCli = await asix(["devnet", "seed", "--devnet", dir, "--seed-value", String(SEED + 1), "--artists", "2", "--tracks", "2", "--no-cache", "--json"]);
    expect(seededByCli.code, seededByCli.stderr).to.equal(0);
    expect(seededByCli.json.fromCache).to.equal(false);
    expect(seededByCli.json.artists.map((a: { handle: string }) => a.handle)).to.deep.equal(other.artists.map((a) => a.handle));
    expect(seededByCli.json.tracks.map((t: { title: string }) => t.title)).to.deep.equal(other.tracks.map((t) => t.title));
    const again = await asix(["devnet", "seed", "--devnet", dir, "--seed-value", String(SEED), "--json"]);
    expect(again.code).to.equal(1);
    expect(again.json.error.code).to.equal("CONFLICT");
  });
});
