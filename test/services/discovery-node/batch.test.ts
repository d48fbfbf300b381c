import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { applyActions, recordOutcomes, type ChainAction } from "../../../devnet/services/discovery-node/actions";
import { BatchState } from "../../../devnet/services/discovery-node/actions/state";
import { canonicalDump, type DiscoveryStore } from "../../../devnet/services/discovery-node/db";
import { BACKEND, meta, openTestDb } from "./fixture";

/**
 * A batch of actions is applied in memory and written at its end (actions/state.ts, flush.ts).
 * These tests hold that to applying the same actions one by one, each in its own transaction, on
 * the backend under test: the two indexes must dump alike, row for row.
 */
describe(`discovery node (${BACKEND}): a batch of actions gives the same index as one by one`, function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const stores: DiscoveryStore[] = [];
  const open = async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-dn-batch-"));
    dirs.push(dir);
    const db = await openTestDb(dir);
    stores.push(db);
    return db;
  };
  after(async () => {
    for (const db of stores) await db.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  const wallet = (n: number) => "0x" + n.toString(16).padStart(40, "0");
  let seq = 0;
  /** An action by user `userId`, signed by that user's wallet unless `signer` says otherwise. */
  const act = (userId: number, entityType: string, entityId: number, action: string, metadata = "", signer = wallet(userId)): ChainAction => {
    seq++;
    return { kind: "ManageEntity", blocknumber: 100 + Math.floor(seq / 4), logIndex: seq % 4, txhash: "0x" + seq.toString(16).padStart(64, "0"), timestamp: 1_700_000_000 + seq, userId: BigInt(userId), signer, entityType, entityId: BigInt(entityId), action, metadata };
  };
  const verify = (userId: number, on: boolean): ChainAction => ({ ...act(userId, "User", 0, ""), kind: "ManageIsVerified", signer: "", entityType: "User", entityId: 0n, action: "", isVerified: on });
  const user = (id: number, handle: string, extra: Record<string, unknown> = {}) => act(id, "User", id, "Create", meta({ handle, name: handle.toUpperCase(), ...extra }));
  const CID = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";

  const applyBatch = (db: DiscoveryStore, actions: ChainAction[]) => db.transaction(async (tx) => recordOutcomes(tx, await applyActions(tx, actions)));
  const oneByOne = async (db: DiscoveryStore, actions: ChainAction[]) => {
    for (const a of actions) await applyBatch(db, [a]);
  };
  const statuses = async (db: DiscoveryStore) =>
    (await db.all<{ status: string; reason: string }>("SELECT status, reason FROM actions ORDER BY blocknumber, log_index")).map((r) => `${r.status} ${r.reason}`.trim());

  it("creates, updates and deletes one entity, with rejected actions in between, and actors created earlier in the batch", async () => {
    seq = 0;
    const [A, B, C, NOBODY] = [3_000_001, 3_000_002, 3_000_003, 3_000_099];
    const [T1, T2, P1] = [2_000_001, 2_000_002, 400_001];
    const before = [user(A, "alice"), user(B, "bob"), act(B, "User", A, "Follow")];
    const batch = [
      user(C, "carol"), // an actor created in this batch, acting below
      act(A, "User", A, "Update", meta({ handle: "alice2", name: "Alice Two" })),
      act(A, "User", A, "Create", meta({ handle: "again" })), // ignored: exists
      act(3_000_004, "User", 3_000_004, "Create", meta({ handle: "alice" })), // the handle A just left is free
      act(A, "Track", T1, "Create", meta({ title: "first", genre: "Jazz", track_cid: CID })),
      act(A, "Track", T1, "Update", meta({ title: "first, edited", tags: "x" })),
      act(B, "Track", T1, "Update", meta({ title: "not mine" })), // rejected: not the owner
      act(C, "Track", T1, "Save"),
      act(C, "Track", T1, "Save"), // ignored: duplicate
      act(C, "Track", T1, "Unsave"),
      act(C, "Track", T1, "Save", JSON.stringify({ is_save_of_repost: true })),
      act(C, "Track", T1, "Repost"),
      act(NOBODY, "Track", T1, "Repost"), // rejected: no such user
      act(A, "Track", T1, "Create", meta({ title: "dup" })), // ignored
      act(A, "Track", T2, "Create", meta({ title: "second", track_cid: "not a cid" })), // rejected: after T1's writes
      act(A, "Track", T2, "Create", meta({ title: "second" })),
      act(C, "Playlist", P1, "Create", meta({ playlist_name: "mix", playlist_contents: [{ track_id: T1, timestamp: 1 }, { track_id: T2, timestamp: 2 }] })),
      act(C, "Playlist", P1, "Update", meta({ is_album: true, playlist_name: "album" })),
      act(A, "Track", T2, "Delete"),
      act(C, "Track", T2, "Save"), // rejected: deleted in this batch
      act(C, "Playlist", P1, "Update", meta({ playlist_contents: [{ track_id: T1, timestamp: 3 }, { track_id: 2_000_050, timestamp: 3 }] })), // rejected: no such track
      act(B, "User", A, "Unfollow"), // a row from before the batch goes…
      act(B, "User", A, "Follow"), // …and comes back with a new time
      act(C, "User", A, "Follow"),
      act(C, "User", A, "Follow"), // ignored
      act(C, "User", C, "Follow"), // rejected: self
      act(C, "User", B, "Subscribe"),
      act(C, "User", B, "Unsubscribe"),
      act(C, "User", B, "Subscribe"),
      verify(C, true),
      verify(NOBODY, true), // rejected
      act(C, "Playlist", P1, "Repost"),
      act(B, "Playlist", P1, "Save"),
      act(C, "Playlist", P1, "Delete"),
      act(A, "User", B, "Follow", "", wallet(B)), // rejected: signed by another wallet
    ];
    const batched = await open();
    await applyBatch(batched, before);
    await applyBatch(batched, batch);
    const single = await open();
    await oneByOne(single, [...before, ...batch]);

    const dump = await canonicalDump(batched);
    expect(dump).to.equal(await canonicalDump(single));
    expect(await statuses(batched)).to.deep.equal(await statuses(single));
    // and the outcomes are the intended ones, so the two are not alike by both being wrong
    const outcome = (await statuses(batched)).map((s) => s.split(" ")[0]);
    expect(outcome.filter((s) => s === "applied")).to.have.length(26);
    expect(outcome.filter((s) => s === "ignored")).to.have.length(4);
    expect(outcome.filter((s) => s === "rejected")).to.have.length(8);
    const a = await batched.get<Record<string, number | string>>("SELECT handle, name, follower_count, track_count FROM users WHERE user_id = ?", [A]);
    expect(a).to.deep.equal({ handle: "alice2", name: "Alice Two", follower_count: 2, track_count: 1 });
    const c = await batched.get<Record<string, number>>("SELECT is_verified, followee_count, repost_count, album_count, playlist_count FROM users WHERE user_id = ?", [C]);
    expect(c).to.deep.equal({ is_verified: 1, followee_count: 1, repost_count: 2, album_count: 0, playlist_count: 0 });
    expect(await batched.get("SELECT title, tags, save_count, repost_count FROM tracks WHERE track_id = ?", [T1])).to.deep.equal({ title: "first, edited", tags: "x", save_count: 1, repost_count: 1 });
    expect(await batched.get("SELECT is_save_of_repost FROM saves WHERE user_id = ? AND item_id = ?", [C, T1])).to.deep.equal({ is_save_of_repost: 1 });
    expect(await batched.get("SELECT created_at FROM follows WHERE follower_id = ? AND followee_id = ?", [B, A])).to.deep.equal({ created_at: batch[22].timestamp });
    expect(await batched.all("SELECT rowid FROM tracks_fts")).to.deep.equal([{ rowid: T1 }]);
    expect(await batched.all("SELECT rowid FROM playlists_fts")).to.deep.equal([]);
  });

  it("passes handles around among existing users within one batch", async () => {
    seq = 1000;
    const [X, Y, Z] = [3_000_011, 3_000_012, 3_000_013];
    const before = [user(X, "xa"), user(Y, "yb")];
    const batch = [
      act(X, "User", X, "Update", meta({ handle: "tmp" })),
      act(Y, "User", Y, "Update", meta({ handle: "xa" })),
      act(X, "User", X, "Update", meta({ handle: "yb" })),
      user(Z, "tmp2"),
      act(Z, "User", Z, "Update", meta({ handle: "Tmp" })), // X left it
      act(3_000_014, "User", 3_000_014, "Create", meta({ handle: "tmp2" })), // Z left it
      act(3_000_015, "User", 3_000_015, "Create", meta({ handle: "XA" })), // rejected: Y holds it
    ];
    const batched = await open();
    await applyBatch(batched, before);
    await applyBatch(batched, batch);
    const single = await open();
    await oneByOne(single, [...before, ...batch]);
    expect(await canonicalDump(batched)).to.equal(await canonicalDump(single));
    expect(await batched.all("SELECT user_id, handle FROM users ORDER BY user_id")).to.deep.equal([
      { user_id: X, handle: "yb" }, { user_id: Y, handle: "xa" }, { user_id: Z, handle: "Tmp" }, { user_id: 3_000_014, handle: "tmp2" },
    ]);
    expect((await statuses(batched)).at(-1)).to.match(/^rejected handle XA is taken/);
  });

  it("undoes every change of an action that fails after changing the batch's state", async () => {
    const db = await open();
    await db.transaction(async (tx) => {
      const state = new BatchState(tx);
      state.begin();
      state.insertEntity("users", { user_id: 7, handle: "gone", handle_lc: "gone", wallet: wallet(7), created_at: 1, updated_at: 1, blocknumber: 1, txhash: "0x" });
      state.setSearch("users_fts", 7, { handle: "gone", name: "" }, true);
      state.addCount("users", 7, "track_count", 1);
      state.rollback();
      expect(await state.user(7)).to.equal(undefined);
      expect(await state.userIdBy("handle_lc", "gone")).to.equal(undefined);
      expect(state.inserts.users.size + state.searchRows.users_fts.size + state.counters.users.size).to.equal(0);
    });
  });
});
