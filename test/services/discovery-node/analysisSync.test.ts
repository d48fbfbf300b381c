import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import type { DiscoveryStore } from "../../../devnet/services/discovery-node/db";
import { BACKEND, openTestDb } from "./fixture";
import { backoffMs, startAnalysisSync, type AnalysisSync } from "../../../devnet/services/discovery-node/analysisSync";
import { searchTracks } from "../../../devnet/services/discovery-node/search";
import { getTrack } from "../../../devnet/services/discovery-node/views";

const UPLOAD_ID = "mx3tgywbd1d3fa093b60fc507015";

/** An HTTP server standing in for a registered content node that answers `/uploads/:id` with `record`. */
async function nodeAnswering(record: () => unknown): Promise<{ url: string; asked: () => number; close: () => Promise<void> }> {
  let asked = 0;
  const server = http.createServer((req, res) => {
    asked++;
    if (req.url !== `/uploads/${UPLOAD_ID}`) return res.writeHead(404).end("{}");
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(record()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked: () => asked,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe(`discovery node (${BACKEND}): track analysis pulled from the content nodes`, () => {
  let dir: string;
  let db: DiscoveryStore;
  let sync: AnalysisSync | undefined;
  let changes: number;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-dn-analysis-"));
    db = await openTestDb(dir);
    changes = 0;
    await db.run(`INSERT INTO users (user_id, handle, handle_lc, wallet, created_at, updated_at, blocknumber, txhash)
      VALUES (3000000, 'ada', 'ada', '0xabc', 1, 1, 1, '0x1')`);
    await db.run(`INSERT INTO tracks (track_id, owner_id, title, audio_upload_id, created_at, updated_at, blocknumber, txhash)
      VALUES (2000000, 3000000, 'Groove', ?, 1, 1, 1, '0x1')`, [UPLOAD_ID]);
    await db.run("INSERT INTO tracks_fts (rowid, title, tags, genre) VALUES (2000000, 'Groove', '', '')");
  });
  afterEach(async () => {
    await sync?.stop();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const start = (nodes: string[]) =>
    (sync = startAnalysisSync({ db, contentNodes: () => nodes, log: () => {}, onChange: () => changes++, intervalMs: 60_000 }));
  const row = () => db.get("SELECT * FROM upload_analyses WHERE upload_id = ?", [UPLOAD_ID]);

  it("asks again only after a growing wait while no content node has finished the analysis", async () => {
    let status = "busy";
    const node = await nodeAnswering(() => ({ id: UPLOAD_ID, status: "done", audio_analysis_status: status, audio_analysis_results: null, audio_analysis_error_count: 0 }));
    try {
      start([node.url]);
      await sync!.syncOnce();
      expect(await row()).to.include({ status: "pending", attempts: 1 });
      expect((await row())!.next_attempt_at as number).to.be.greaterThan(Date.now() + backoffMs(1) / 2);
      await sync!.syncOnce(); // not due yet: the node is not asked again
      expect(node.asked()).to.equal(1);
      expect(backoffMs(2)).to.equal(2 * backoffMs(1));
      expect(backoffMs(50)).to.equal(10 * 60 * 1000);

      status = "done";
      await db.run("UPDATE upload_analyses SET next_attempt_at = 0");
      await sync!.syncOnce();
      expect(await row()).to.include({ status: "done" });
      expect(changes).to.equal(1);
    } finally {
      await node.close();
    }
  });

  it("keeps only well-formed values from a node's answer, and the track and search show them", async () => {
    const node = await nodeAnswering(() => ({
      id: UPLOAD_ID,
      status: "done",
      audio_analysis_status: "error",
      audio_analysis_results: {
        bpm: 128.4,
        key: "x".repeat(41),
        loudness: { integrated: -9, range: 4, truePeak: "0" },
        waveform_cid: "not a cid",
      },
      audio_analysis_error_count: 2,
    }));
    try {
      start(["http://127.0.0.1:1", node.url]); // the first node is down: the next one is asked
      await sync!.syncOnce();
      const track = (await getTrack({ db, contentNodes: [] }, 2000000))!;
      expect(track).to.include({ bpm: 128.4, musical_key: null, loudness: null, waveform_cid: null, audio_analysis_error_count: 2 });
      const page = { offset: 0, limit: 10 };
      expect((await searchTracks(db, "groove", page, { bpmMin: 128, bpmMax: 129 })).map((t) => t.track_id)).to.deep.equal([2000000]);
      expect(await searchTracks(db, "", page, { bpmMin: 129 })).to.deep.equal([]);
      expect(await searchTracks(db, "groove", page, { keys: ["A minor"] })).to.deep.equal([]);
    } finally {
      await node.close();
    }
  });

  it("gives a track that was never analysed null analysis fields", async () => {
    expect(await getTrack({ db, contentNodes: [] }, 2000000)).to.include({ bpm: null, musical_key: null, loudness: null, waveform_cid: null, audio_analysis_error_count: 0 });
  });
});
