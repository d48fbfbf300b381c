import { expect } from "chai";
import type { Wallet } from "ethers";
import { entityManagerInterface } from "../../../sdk/eip712";
import type { ActionRejectionCode } from "../../../sdk/protocol/actions";
import { DEVNET_ROLES } from "../../../devnet/accounts";
import { hid, meta, startDiscoveryFixture, waitIndexed, type DiscoveryFixture, BACKEND } from "./fixture";

const CID_A = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";
const CID_B = "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n";

/** Every row of PROTOCOL.md §3, valid and invalid, checking the API's view after each action. */
describe(`discovery node (${BACKEND}): §3 actions`, function () {
  this.timeout(60_000);
  let f: DiscoveryFixture;
  let alice: Wallet, bob: Wallet, carol: Wallet, mallory: Wallet, aliceId: number, bobId: number, carolId: number;

  const send = async (signer: Wallet, userId: number, entityType: string, entityId: number | bigint, action: string, metadata = "") => {
    const r = await f.act(signer, { userId, entityType, entityId, action, metadata });
    return { ...r, ...(await f.outcome(r.transactionHash)) };
  };
  /** The reason is text for people; the code is what clients branch on (sdk/protocol/actions). */
  const expectRejected = (o: { status: string; reason: string; code: string }, reason: RegExp, code: ActionRejectionCode) => {
    expect(o.status, o.reason).to.equal("rejected");
    expect(o.reason).to.match(reason);
    expect(o.code, o.reason).to.equal(code);
  };
  const user = async (id: number) => (await f.get(`/v1/users/${hid(id)}`)).body.data;
  const [track, playlist] = [(id: number) => f.get(`/v1/tracks/${hid(id)}`), (id: number) => f.get(`/v1/playlists/${hid(id)}`)];
  /** the ids a user list answers with */
  const ids = async (pathAndQuery: string) => (await f.get(pathAndQuery)).body.data.map((u: { id: string }) => u.id);

  before(async () => {
    f = await startDiscoveryFixture();
    [alice, bob, carol, mallory] = [f.newWallet(), f.newWallet(), f.newWallet(), f.newWallet()];
  });
  after(async () => f?.close());

  describe("User Create / Update", () => {
    it("creates a user bound to the signer's wallet, visible by id and by handle", async () => {
      aliceId = f.nextId("user");
      const o = await send(alice, aliceId, "User", aliceId, "Create", meta({ handle: "Alice_1", name: "Alice", bio: "hi", location: "Paris", wallet: alice.address, profile_picture_sizes: "abc123" }));
      expect(o.status).to.equal("applied");
      const u = await user(aliceId);
      expect(u).to.include({ id: hid(aliceId), handle: "Alice_1", name: "Alice", bio: "hi", location: "Paris", wallet: alice.address.toLowerCase() });
      expect((await f.get("/v1/users/handle/alice_1")).body.data.id).to.equal(hid(aliceId));
      bobId = await f.createUser(bob, "bob");
      carolId = await f.createUser(carol, "carol");
    });

    it("ignores a Create whose id exists", async () => {
      const o = await send(mallory, aliceId, "User", aliceId, "Create", meta({ handle: "mallory" }));
      expect(o.status).to.equal("ignored");
      expect((await user(aliceId)).handle).to.equal("Alice_1");
    });

    it("rejects a second user for the same wallet", async () => {
      const id = f.nextId("user");
      expectRejected(await send(alice, id, "User", id, "Create", meta({ handle: "alice_again" })), /already owns a user/, "conflict");
      expect((await f.get(`/v1/users/${hid(id)}`)).status).to.equal(404);
    });

    for (const [label, handle] of [["spaces and punctuation", "bad handle!"], ["31 characters", "a".repeat(31)], ["an empty handle", ""], ["a number", 42]] as const) {
      it(`rejects a bad handle: ${label}`, async () => {
        const w = f.newWallet();
        const id = f.nextId("user");
        const o = await send(w, id, "User", id, "Create", meta({ handle }));
        expect(o.status).to.equal("rejected");
        expect((await f.get(`/v1/users/${hid(id)}`)).status).to.equal(404);
      });
    }

    it("rejects a taken handle, case-insensitively", async () => {
      const id = f.nextId("user");
      expectRejected(await send(f.newWallet(), id, "User", id, "Create", meta({ handle: "ALICE_1" })), /taken/, "conflict");
    });

    it("rejects a metadata wallet that is not the signer, and userId ≠ entityId", async () => {
      const id = f.nextId("user");
      expectRejected(await send(mallory, id, "User", id, "Create", meta({ handle: "m1", wallet: alice.address })), /wallet/, "unauthorized");
      expectRejected(await send(mallory, id, "User", id + 1, "Create", meta({ handle: "m1" })), /userId/, "invalid");
    });

    it("rejects an oversize bio (257 characters)", async () => {
      const id = f.nextId("user");
      expectRejected(await send(f.newWallet(), id, "User", id, "Create", meta({ handle: "longbio", bio: "x".repeat(257) })), /bio/, "invalid");
    });

    it("updates the owner's fields and handle; the old handle is gone", async () => {
      const o = await send(alice, aliceId, "User", aliceId, "Update", meta({ handle: "alice", bio: "b".repeat(256), name: "Alice A." }));
      expect(o.status).to.equal("applied");
      const u = await user(aliceId);
      expect(u).to.include({ handle: "alice", name: "Alice A.", location: "Paris" });
      expect(u.bio).to.have.length(256);
      expect((await f.get("/v1/users/handle/Alice_1")).status).to.equal(404);
      expect((await f.get("/v1/users/handle/ALICE")).body.data.id).to.equal(hid(aliceId));
    });

    it("rejects an Update signed by another wallet", async () => {
      expectRejected(await send(mallory, aliceId, "User", aliceId, "Update", meta({ name: "pwned" })), /not the wallet/, "unauthorized");
      expect((await user(aliceId)).name).to.equal("Alice A.");
    });

    it("rejects an Update to a taken handle, an oversize bio, or a missing user", async () => {
      expectRejected(await send(alice, aliceId, "User", aliceId, "Update", meta({ handle: "BOB" })), /taken/, "conflict");
      expectRejected(await send(alice, aliceId, "User", aliceId, "Update", meta({ bio: "x".repeat(300) })), /bio/, "invalid");
      const ghost = f.nextId("user");
      expectRejected(await send(mallory, ghost, "User", ghost, "Update", meta({ name: "x" })), /does not exist/, "not_found");
      expect((await user(aliceId)).handle).to.equal("alice");
    });

    it("sets is_verified from the verifier's ManageIsVerified", async () => {
      const verifier = f.fx.wallet(DEVNET_ROLES.verifier);
      const tx = await verifier.sendTransaction({ to: f.fx.entityManagerAddress, data: entityManagerInterface.encodeFunctionData("manageIsVerified", [aliceId, true]) });
      const receipt = (await tx.wait())!;
      await waitIndexed(f.url, receipt.blockNumber, receipt.blockHash);
      expect((await user(aliceId)).is_verified).to.equal(true);
      expect((await user(bobId)).is_verified).to.equal(false);
    });
  });

  describe("User Follow / Unfollow / Subscribe / Unsubscribe", () => {
    it("follows: counts and lists on both sides", async () => {
      expect((await send(bob, bobId, "User", aliceId, "Follow")).status).to.equal("applied");
      expect((await send(carol, carolId, "User", aliceId, "Follow")).status).to.equal("applied");
      expect((await user(aliceId)).follower_count).to.equal(2);
      expect((await user(bobId)).followee_count).to.equal(1);
      expect(await ids(`/v1/users/${hid(aliceId)}/followers`)).to.have.members([hid(bobId), hid(carolId)]);
      expect(await ids(`/v1/users/${hid(bobId)}/following`)).to.deep.equal([hid(aliceId)]);
    });

    it("ignores a duplicate Follow", async () => {
      expect((await send(bob, bobId, "User", aliceId, "Follow")).status).to.equal("ignored");
      expect((await user(aliceId)).follower_count).to.equal(2);
    });

    it("rejects a self-follow, a wrong signer and a missing followee", async () => {
      expectRejected(await send(alice, aliceId, "User", aliceId, "Follow"), /themselves/, "invalid");
      expectRejected(await send(mallory, bobId, "User", carolId, "Follow"), /not the wallet/, "unauthorized");
      expectRejected(await send(bob, bobId, "User", 3_999_999, "Follow"), /does not exist/, "not_found");
      expect((await user(aliceId)).follower_count).to.equal(2);
      expect((await user(carolId)).follower_count).to.equal(0);
    });

    it("unfollows, and ignores an Unfollow of someone not followed", async () => {
      expect((await send(carol, carolId, "User", aliceId, "Unfollow")).status).to.equal("applied");
      expect((await user(aliceId)).follower_count).to.equal(1);
      expect((await user(carolId)).followee_count).to.equal(0);
      expect((await send(carol, carolId, "User", aliceId, "Unfollow")).status).to.equal("ignored");
      expect((await user(aliceId)).follower_count).to.equal(1);
    });

    it("subscribes and unsubscribes, with the same rules", async () => {
      expect((await send(bob, bobId, "User", aliceId, "Subscribe")).status).to.equal("applied");
      expect(await ids(`/v1/users/${hid(aliceId)}/subscribers`)).to.deep.equal([hid(bobId)]);
      expect((await send(bob, bobId, "User", aliceId, "Subscribe")).status).to.equal("ignored");
      expectRejected(await send(bob, bobId, "User", bobId, "Subscribe"), /themselves/, "invalid");
      expectRejected(await send(mallory, bobId, "User", aliceId, "Unsubscribe"), /not the wallet/, "unauthorized");
      expect((await send(bob, bobId, "User", aliceId, "Unsubscribe")).status).to.equal("applied");
      expect((await f.get(`/v1/users/${hid(aliceId)}/subscribers`)).body.data).to.deep.equal([]);
      expect((await send(bob, bobId, "User", aliceId, "Unsubscribe")).status).to.equal("ignored");
    });
  });

  let trackId: number, track2: number;
  describe("Track Create / Update / Delete", () => {
    it("creates a track with every §3 field", async () => {
      trackId = f.nextId("track");
      const o = await send(alice, aliceId, "Track", trackId, "Create", meta({
        owner_id: aliceId, title: "Night Drive", genre: "Electronic", mood: "Dark", tags: "synth,night", description: "d",
        track_cid: CID_A, preview_cid: CID_B, orig_file_cid: CID_A, orig_filename: "night.wav", audio_upload_id: "u-1",
        cover_art_sizes: "img1", duration: 215.4, release_date: "2026-01-01", is_downloadable: true,
      }));
      expect(o.status, o.reason).to.equal("applied");
      const t = (await track(trackId)).body.data;
      expect(t).to.include({ id: hid(trackId), title: "Night Drive", genre: "Electronic", mood: "Dark", tags: "synth,night", track_cid: CID_A, preview_cid: CID_B, orig_filename: "night.wav", duration: 215, release_date: "2026-01-01", is_downloadable: true, is_streamable: true });
      expect(t.user.id).to.equal(hid(aliceId));
      expect(t.permalink).to.equal(`/alice/night-drive-${trackId}`);
      expect((await user(aliceId)).track_count).to.equal(1);
      expect((await f.get(`/v1/users/${hid(aliceId)}/tracks`)).body.data.map((x: { id: string }) => x.id)).to.deep.equal([hid(trackId)]);
      track2 = f.nextId("track");
      expect((await send(alice, aliceId, "Track", track2, "Create", meta({ owner_id: aliceId, title: "Second", track_cid: CID_B }))).status).to.equal("applied");
    });

    it("ignores a Create whose track id exists", async () => {
      expect((await send(bob, bobId, "Track", trackId, "Create", meta({ owner_id: bobId, title: "Stolen" }))).status).to.equal("ignored");
      expect((await track(trackId)).body.data.title).to.equal("Night Drive");
    });

    it("rejects a Create by a wrong signer, for another owner, without a title, oversize, or with a bad CID or type", async () => {
      const cases: Array<[Wallet, number, Record<string, unknown>, RegExp, ActionRejectionCode]> = [
        [mallory, aliceId, { owner_id: aliceId, title: "x" }, /not the wallet/, "unauthorized"],
        [bob, bobId, { owner_id: aliceId, title: "x" }, /owner_id/, "unauthorized"],
        [bob, bobId, { owner_id: bobId }, /title is required/, "invalid"],
        [bob, bobId, { owner_id: bobId, title: "x", description: "d".repeat(2501) }, /description/, "invalid"],
        [bob, bobId, { owner_id: bobId, title: "x", track_cid: "not-a-cid" }, /CID/, "invalid"],
        [bob, bobId, { owner_id: bobId, title: "x", duration: "long" }, /duration/, "invalid"],
        [bob, bobId, { owner_id: "1", title: "x" }, /owner_id/, "invalid"],
      ];
      for (const [signer, userId, data, reason, code] of cases) {
        const id = f.nextId("track");
        expectRejected(await send(signer, userId, "Track", id, "Create", meta(data)), reason, code);
        expect((await track(id)).status).to.equal(404);
      }
      expect((await user(bobId)).track_count).to.equal(0);
    });

    it("rejects metadata that is not {data:{...}} JSON", async () => {
      for (const bad of ["", "not json", "[]", '{"data":"x"}', "null"]) {
        const id = f.nextId("track");
        expect((await send(bob, bobId, "Track", id, "Create", bad)).status).to.equal("rejected");
      }
    });

    it("updates the owner's track; fields not given stay", async () => {
      expect((await send(alice, aliceId, "Track", trackId, "Update", meta({ title: "Night Drive (Remix)", description: "d".repeat(2500) }))).status).to.equal("applied");
      const t = (await track(trackId)).body.data;
      expect(t).to.include({ title: "Night Drive (Remix)", genre: "Electronic", track_cid: CID_A });
      expect(t.description).to.have.length(2500);
      expect((await f.get("/v1/tracks/search?query=remix")).body.data[0].id).to.equal(hid(trackId));
    });

    it("rejects an Update by a non-owner, of a missing track, or oversize", async () => {
      expectRejected(await send(bob, bobId, "Track", trackId, "Update", meta({ title: "mine now" })), /does not own/, "unauthorized");
      expectRejected(await send(mallory, aliceId, "Track", trackId, "Update", meta({ title: "mine now" })), /not the wallet/, "unauthorized");
      expectRejected(await send(alice, aliceId, "Track", 2_999_999, "Update", meta({ title: "x" })), /does not exist/, "not_found");
      expectRejected(await send(alice, aliceId, "Track", trackId, "Update", meta({ title: "t".repeat(257) })), /title/, "invalid");
      expect((await track(trackId)).body.data.title).to.equal("Night Drive (Remix)");
    });

    it("deletes only the owner's track; a deleted track is 404 and no longer counted", async () => {
      expectRejected(await send(bob, bobId, "Track", track2, "Delete"), /does not own/, "unauthorized");
      expect((await send(alice, aliceId, "Track", track2, "Delete")).status).to.equal("applied");
      const res = await track(track2);
      expect(res.status).to.equal(404);
      expect(res.body.error.code).to.equal("NOT_FOUND");
      expect((await user(aliceId)).track_count).to.equal(1);
      expectRejected(await send(alice, aliceId, "Track", track2, "Delete"), /does not exist/, "not_found");
      expectRejected(await send(alice, aliceId, "Track", track2, "Update", meta({ title: "back" })), /does not exist/, "not_found");
    });
  });

  describe("Track Save / Unsave / Repost / Unrepost", () => {
    it("saves (also as a save of a repost) and counts favorites", async () => {
      expect((await send(bob, bobId, "Track", trackId, "Save", JSON.stringify({ is_save_of_repost: true }))).status).to.equal("applied");
      expect((await send(carol, carolId, "Track", trackId, "Save")).status).to.equal("applied");
      expect((await track(trackId)).body.data.favorite_count).to.equal(2);
      const favs = (await f.get(`/v1/tracks/${hid(trackId)}/favorites`)).body.data.map((u: { id: string }) => u.id);
      expect(favs).to.have.members([hid(bobId), hid(carolId)]);
      const bobFavs = (await f.get(`/v1/users/${hid(bobId)}/favorites`)).body.data;
      expect(bobFavs).to.have.length(1);
      expect(bobFavs[0]).to.include({ favorite_item_id: hid(trackId), favorite_type: "SaveType.track", user_id: hid(bobId) });
    });

    it("ignores a duplicate Save; rejects a wrong signer, a missing or deleted track", async () => {
      expect((await send(bob, bobId, "Track", trackId, "Save")).status).to.equal("ignored");
      expectRejected(await send(mallory, bobId, "Track", trackId, "Save"), /not the wallet/, "unauthorized");
      expectRejected(await send(bob, bobId, "Track", 2_999_998, "Save"), /does not exist/, "not_found");
      expectRejected(await send(bob, bobId, "Track", track2, "Save"), /does not exist/, "not_found");
      expect((await track(trackId)).body.data.favorite_count).to.equal(2);
    });

    it("unsaves, and ignores an Unsave of something not saved", async () => {
      expect((await send(carol, carolId, "Track", trackId, "Unsave")).status).to.equal("applied");
      expect((await track(trackId)).body.data.favorite_count).to.equal(1);
      expect((await send(carol, carolId, "Track", trackId, "Unsave")).status).to.equal("ignored");
    });

    it("reposts: track and user repost counts, /users/:id/reposts and /tracks/:id/reposts", async () => {
      expect((await send(bob, bobId, "Track", trackId, "Repost")).status).to.equal("applied");
      expect((await send(bob, bobId, "Track", trackId, "Repost")).status).to.equal("ignored");
      expectRejected(await send(mallory, carolId, "Track", trackId, "Repost"), /not the wallet/, "unauthorized");
      expectRejected(await send(bob, bobId, "Track", 2_999_997, "Repost"), /does not exist/, "not_found");
      expect((await track(trackId)).body.data.repost_count).to.equal(1);
      expect((await user(bobId)).repost_count).to.equal(1);
      const reposts = (await f.get(`/v1/users/${hid(bobId)}/reposts`)).body.data;
      expect(reposts).to.have.length(1);
      expect(reposts[0].item_type).to.equal("track");
      expect(reposts[0].item.id).to.equal(hid(trackId));
      expect((await f.get(`/v1/tracks/${hid(trackId)}/reposts`)).body.data.map((u: { id: string }) => u.id)).to.deep.equal([hid(bobId)]);
      expect((await send(bob, bobId, "Track", trackId, "Unrepost")).status).to.equal("applied");
      expect((await send(bob, bobId, "Track", trackId, "Unrepost")).status).to.equal("ignored");
      expect((await track(trackId)).body.data.repost_count).to.equal(0);
      expect((await user(bobId)).repost_count).to.equal(0);
    });
  });

  let playlistId: number, albumId: number, track3: number;
  describe("Playlist Create / Update / Delete", () => {
    it("creates a playlist and an album with tracks; counts on the owner", async () => {
      track3 = f.nextId("track");
      await send(alice, aliceId, "Track", track3, "Create", meta({ owner_id: aliceId, title: "Third" }));
      playlistId = f.nextId("playlist");
      const o = await send(bob, bobId, "Playlist", playlistId, "Create", meta({
        playlist_name: "Bob's mix", description: "mix", is_album: false, is_private: false, playlist_image_sizes_multihash: "img2",
        playlist_contents: [{ track_id: trackId, timestamp: 1700000000 }, { track_id: track3, timestamp: 1700000001 }],
      }));
      expect(o.status, o.reason).to.equal("applied");
      const res = await playlist(playlistId);
      expect(res.body.data).to.be.an("array").with.length(1);
      const p = res.body.data[0];
      expect(p).to.include({ id: hid(playlistId), playlist_name: "Bob's mix", is_album: false, track_count: 2 });
      expect(p.playlist_contents.map((e: { track_id: string }) => e.track_id)).to.deep.equal([hid(trackId), hid(track3)]);
      expect(p.playlist_contents[0].timestamp).to.equal(1700000000);
      expect((await user(bobId)).playlist_count).to.equal(1);
      const tracks = (await f.get(`/v1/playlists/${hid(playlistId)}/tracks`)).body.data.map((t: { id: string }) => t.id);
      expect(tracks).to.deep.equal([hid(trackId), hid(track3)]);

      albumId = f.nextId("playlist");
      expect((await send(alice, aliceId, "Playlist", albumId, "Create", meta({ playlist_name: "LP", is_album: true, playlist_contents: [{ track_id: trackId, timestamp: 1 }] }))).status).to.equal("applied");
      expect((await user(aliceId)).album_count).to.equal(1);
      expect((await playlist(albumId)).body.data[0].permalink).to.equal(`/alice/album/lp-${albumId}`);
    });

    it("ignores a Create whose playlist id exists", async () => {
      expect((await send(alice, aliceId, "Playlist", playlistId, "Create", meta({ playlist_name: "x" }))).status).to.equal("ignored");
      expect((await playlist(playlistId)).body.data[0].playlist_name).to.equal("Bob's mix");
    });

    it("rejects a Create with a missing or deleted track, a wrong signer, no name, oversize description", async () => {
      const cases: Array<[Wallet, number, Record<string, unknown>, RegExp, ActionRejectionCode]> = [
        [bob, bobId, { playlist_name: "p", playlist_contents: [{ track_id: 2_999_996, timestamp: 1 }] }, /does not exist/, "not_found"],
        [bob, bobId, { playlist_name: "p", playlist_contents: [{ track_id: track2, timestamp: 1 }] }, /does not exist/, "not_found"],
        [bob, bobId, { playlist_name: "p", playlist_contents: [{ track_id: hid(trackId), timestamp: 1 }] }, /integer id/, "invalid"],
        [mallory, bobId, { playlist_name: "p" }, /not the wallet/, "unauthorized"],
        [bob, bobId, { description: "x" }, /playlist_name is required/, "invalid"],
        [bob, bobId, { playlist_name: "p", description: "d".repeat(2501) }, /description/, "invalid"],
        [bob, bobId, { playlist_name: "p", is_album: "yes" }, /is_album/, "invalid"],
      ];
      for (const [signer, userId, data, reason, code] of cases) {
        const id = f.nextId("playlist");
        expectRejected(await send(signer, userId, "Playlist", id, "Create", meta(data)), reason, code);
        expect((await playlist(id)).status).to.equal(404);
      }
      expect((await user(bobId)).playlist_count).to.equal(1);
    });

    it("rejects a playlist of more than 5,000 tracks", async () => {
      const id = f.nextId("playlist");
      const contents = Array.from({ length: 5001 }, () => ({ track_id: trackId, timestamp: 1 }));
      expectRejected(await send(bob, bobId, "Playlist", id, "Create", meta({ playlist_name: "huge", playlist_contents: contents })), /at most 5000/, "invalid");
    });

    it("adds, reorders and removes tracks through Update", async () => {
      const t4 = f.nextId("track");
      await send(carol, carolId, "Track", t4, "Create", meta({ owner_id: carolId, title: "Fourth" }));
      const contents = [{ track_id: t4, timestamp: 3 }, { track_id: track3, timestamp: 2 }, { track_id: trackId, timestamp: 1 }];
      expect((await send(bob, bobId, "Playlist", playlistId, "Update", meta({ playlist_contents: contents }))).status).to.equal("applied");
      let p = (await playlist(playlistId)).body.data[0];
      expect(p.playlist_contents.map((e: { track_id: string }) => e.track_id)).to.deep.equal([hid(t4), hid(track3), hid(trackId)]);
      expect(p.playlist_name).to.equal("Bob's mix");
      expect((await send(bob, bobId, "Playlist", playlistId, "Update", meta({ playlist_contents: contents.slice(1), playlist_name: "Bob's mix 2" }))).status).to.equal("applied");
      p = (await playlist(playlistId)).body.data[0];
      expect(p.track_count).to.equal(2);
      expect(p.playlist_name).to.equal("Bob's mix 2");
    });

    it("rejects an Update by a non-owner, of a missing playlist, or adding a deleted track", async () => {
      expectRejected(await send(alice, aliceId, "Playlist", playlistId, "Update", meta({ playlist_name: "mine" })), /does not own/, "unauthorized");
      expectRejected(await send(bob, bobId, "Playlist", 499_999, "Update", meta({ playlist_name: "x" })), /does not exist/, "not_found");
      expectRejected(await send(bob, bobId, "Playlist", playlistId, "Update", meta({ playlist_contents: [{ track_id: track2, timestamp: 1 }] })), /does not exist/, "not_found");
      expect((await playlist(playlistId)).body.data[0].playlist_name).to.equal("Bob's mix 2");
    });

    it("saves and reposts a playlist, with duplicates ignored", async () => {
      for (const [w, id, action, status] of [[alice, aliceId, "Save", "applied"], [alice, aliceId, "Save", "ignored"], [carol, carolId, "Repost", "applied"], [carol, carolId, "Repost", "ignored"]] as const) {
        expect((await send(w, id, "Playlist", playlistId, action)).status, `${action} → ${status}`).to.equal(status);
      }
      expectRejected(await send(mallory, carolId, "Playlist", playlistId, "Repost"), /not the wallet/, "unauthorized");
      expectRejected(await send(carol, carolId, "Playlist", 499_998, "Save"), /does not exist/, "not_found");
      expect((await playlist(playlistId)).body.data[0]).to.include({ favorite_count: 1, repost_count: 1 });
      const reposts = (await f.get(`/v1/users/${hid(carolId)}/reposts`)).body.data;
      expect([reposts[0].item_type, reposts[0].item.id]).to.deep.equal(["playlist", hid(playlistId)]);
      for (const [w, id, action, status] of [[alice, aliceId, "Unsave", "applied"], [carol, carolId, "Unrepost", "applied"], [carol, carolId, "Unrepost", "ignored"]] as const) {
        expect((await send(w, id, "Playlist", playlistId, action)).status, `${action} → ${status}`).to.equal(status);
      }
      expect((await playlist(playlistId)).body.data[0]).to.include({ favorite_count: 0, repost_count: 0 });
    });

    it("deletes only the owner's playlist", async () => {
      expectRejected(await send(alice, aliceId, "Playlist", playlistId, "Delete"), /does not own/, "unauthorized");
      expect((await send(bob, bobId, "Playlist", playlistId, "Delete")).status).to.equal("applied");
      expect((await playlist(playlistId)).status).to.equal(404);
      expect((await user(bobId)).playlist_count).to.equal(0);
      expectRejected(await send(bob, bobId, "Playlist", playlistId, "Delete"), /does not exist/, "not_found");
      expectRejected(await send(alice, aliceId, "Playlist", playlistId, "Save"), /does not exist/, "not_found");
    });
  });

  describe("anything else", () => {
    it("rejects unknown entity types and actions, and ids beyond 2^53, and keeps indexing", async () => {
      expectRejected(await send(alice, aliceId, "Comment", 1, "Create", meta({})), /unsupported action/, "invalid");
      expectRejected(await send(alice, aliceId, "Track", trackId, "Explode"), /unsupported action/, "invalid");
      expectRejected(await send(alice, aliceId, "Track", 2n ** 200n, "Save"), /out of range/, "invalid");
      expect((await send(alice, aliceId, "User", carolId, "Follow")).status).to.equal("applied");
      expect((await user(carolId)).follower_count).to.equal(1);
    });
  });
});
