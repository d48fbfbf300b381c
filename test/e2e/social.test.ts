import { expect } from "chai";
import type { Devnet } from "../../devnet";
import { createAsix, isAsixError, paginate, type Asix } from "../../sdk";
import { startTestDevnet } from "../helpers/devnet";
import { makeAudio } from "../helpers/audio";

/** Issue 5's SDK surface on a real devnet: every §3 write through the SDK, read back through the API. */
describe("SDK: saves, reposts, playlists, albums, search, trending, paging", function () {
  let devnet: Devnet;
  let artist: Asix;
  let fan: Asix;
  const tracks: string[] = [];

  before(async () => {
    devnet = await startTestDevnet({ contentNodes: 1 });
    artist = createAsix({ network: devnet, wallet: devnet.accounts[16].privateKey });
    fan = createAsix({ network: devnet, wallet: devnet.accounts[17].privateKey });
    await artist.users.create({ handle: "synth_artist", name: "Synth Artist" });
    await fan.users.create({ handle: "big_fan" });
    const audio = await makeAudio({ seconds: 2, format: "mp3" });
    for (const [title, genre] of [["Morning synth", "Electronic"], ["Evening synth", "Electronic"], ["Quiet piano", "Classical"]]) {
      tracks.push((await artist.tracks.upload(audio, { title, genre, tags: "demo,synth" })).trackId);
    }
  });
  after(async () => {
    await devnet?.stop();
  });

  it("saves and reposts a track; counts and lists follow; a duplicate changes nothing; undo works", async () => {
    await fan.tracks.save(tracks[0]);
    await fan.tracks.repost(tracks[0]);
    await fan.tracks.repost(tracks[0]);
    let t = await fan.tracks.get(tracks[0]);
    expect([t.favoriteCount, t.repostCount]).to.deep.equal([1, 1]);
    expect((await fan.tracks.favorites(tracks[0])).map((u) => u.handle)).to.deep.equal(["big_fan"]);
    expect((await fan.tracks.reposts(tracks[0])).map((u) => u.handle)).to.deep.equal(["big_fan"]);
    expect(await fan.users.reposts(await fan.whoami())).to.have.length(1);
    await fan.tracks.unrepost(tracks[0]);
    t = await fan.tracks.get(tracks[0]);
    expect(t.repostCount).to.equal(0);
  });

  it("updates and deletes only one's own track", async () => {
    await artist.tracks.update(tracks[2], { title: "Quiet piano (remaster)" });
    expect((await fan.tracks.get(tracks[2])).title).to.equal("Quiet piano (remaster)");
    const err = await fan.tracks.update(tracks[2], { title: "stolen" }).catch((e) => e);
    expect(isAsixError(err, "UNAUTHORIZED"), String(err)).to.equal(true);
    // the indexer's rejection code, carried on the wire, is what the SDK mapped (not the message text)
    expect(err.details.rejection).to.equal("unauthorized");
    await artist.tracks.delete(tracks[2]);
    const gone = await fan.tracks.get(tracks[2]).catch((e) => e);
    expect(isAsixError(gone, "NOT_FOUND")).to.equal(true);
  });

  it("creates a playlist and an album, edits tracks in order, saves and reposts them", async () => {
    const { playlistId } = await fan.playlists.create({ name: "Synth mornings", trackIds: [tracks[0]] });
    await fan.playlists.addTrack(playlistId, tracks[1]);
    await fan.playlists.reorder(playlistId, [tracks[1], tracks[0]]);
    expect((await fan.playlists.tracks(playlistId)).map((t) => t.id)).to.deep.equal([tracks[1], tracks[0]]);
    await fan.playlists.removeTrack(playlistId, tracks[1]);
    const playlist = await artist.playlists.get(playlistId);
    expect(playlist.playlistContents.map((c) => c.trackId)).to.deep.equal([tracks[0]]);
    expect(playlist.isAlbum).to.equal(false);

    const { playlistId: albumId } = await artist.playlists.create({ name: "Synth LP", isAlbum: true, trackIds: [tracks[0], tracks[1]] });
    expect((await fan.playlists.get(albumId)).isAlbum).to.equal(true);
    await fan.playlists.save(albumId);
    await fan.playlists.repost(albumId);
    const album = await fan.playlists.get(albumId);
    expect([album.favoriteCount, album.repostCount, album.trackCount]).to.deep.equal([1, 1, 2]);
    const err = await artist.playlists.addTrack(playlistId, tracks[0]).catch((e) => e);
    expect(isAsixError(err, "UNAUTHORIZED"), String(err)).to.equal(true);
  });

  it("searches users, tracks and playlists by prefix, and lists trending", async () => {
    expect((await fan.users.search("synth_a")).map((u) => u.handle)).to.include("synth_artist");
    expect((await fan.tracks.search("morn")).map((t) => t.id)).to.deep.equal([tracks[0]]);
    expect((await fan.playlists.search("synth")).map((p) => p.playlistName)).to.include.members(["Synth mornings", "Synth LP"]);
    const trending = await fan.tracks.trending({ time: "week" });
    expect(trending[0].id).to.equal(tracks[0]);
    expect((await fan.tracks.trending({ genre: "Classical" })).map((t) => t.id)).to.not.include(tracks[0]);
  });

  it("follows, subscribes, and pages through lists with paginate()", async () => {
    const artistId = await artist.whoami();
    await fan.users.follow(artistId);
    await fan.users.subscribe(artistId);
    expect((await fan.users.following(await fan.whoami())).map((u) => u.handle)).to.deep.equal(["synth_artist"]);
    const all: string[] = [];
    for await (const t of paginate((p) => fan.users.tracks(artistId, p), 1)) all.push(t.id);
    expect(all.sort()).to.deep.equal([tracks[0], tracks[1]].sort());
    const bad = await fan.users.tracks(artistId, { limit: -1 }).catch((e) => e);
    expect(isAsixError(bad, "INVALID_INPUT")).to.equal(true);
  });

  it("rejects bad input before anything is signed", async () => {
    for (const attempt of [
      () => fan.users.create({ handle: "bad handle!" }),
      () => fan.playlists.create({ name: "" }),
      () => fan.tracks.search("  "),
      () => fan.users.follow(ownId(fan)),
    ]) {
      const err = await attempt().catch((e: unknown) => e);
      expect(isAsixError(err, "INVALID_INPUT"), String(err)).to.equal(true);
    }
  });
});

// self-follow: the fan's own id, known after users.create
function ownId(asix: Asix): number {
  return asix.client.userId!;
}
