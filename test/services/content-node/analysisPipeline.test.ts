import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { expect } from "chai";
import { renderAudioFixture } from "../../../devnet/fixtures/audio";
import { cidOfBytes } from "../../../sdk/cid";
import { CONTENT_NODE_DB_FILE } from "../../../devnet/services/content-node";
import { openContentDb } from "../../../devnet/services/content-node/db";
import { MAX_ANALYSIS_RUNS } from "../../../devnet/services/content-node/analyzer";
import { filesOnDisk, json, postUpload, startNodes, waitFor, type NodeFixture } from "./fixture";

/** The upload once its analysis finished (done or error). */
async function analysed(url: string, id: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  let upload: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  await waitFor(async () => {
    // fetch's pool may still hold a socket a restarted node closed: that poll fails, the next reconnects
    const res = await fetch(`${url}/uploads/${id}`).catch(() => undefined);
    if (!res) return false;
    upload = await json(res);
    return upload.status === "error" || (upload.status === "done" && ["done", "error"].includes(upload.audio_analysis_status));
  }, 60_000, `analysis of upload ${id}`);
  return upload;
}

describe("content node: music analysis after the transcode", function () {
  this.timeout(120_000);
  let fx: NodeFixture;
  let url: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-analysis-pipeline-"));
  const fixture = (name: string, f: Parameters<typeof renderAudioFixture>[1]) => renderAudioFixture(path.join(dir, name), f).then((file) => fs.readFileSync(file));

  before(async () => {
    fx = await startNodes(2);
    url = fx.nodes[0].url;
  });
  after(async () => {
    await fx?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers the upload before analysing it, then adds tempo, key, loudness and a waveform blob to the record", async () => {
    const wav = await fixture("aminor.wav", { kind: "chords", tonic: "A", mode: "minor", seconds: 12, bpm: 120, beat: true });
    const answer = await postUpload(url, fx.user, "audio", wav, "aminor.wav");
    expect(answer.status).to.equal(200);
    expect(answer.body[0]).to.include({ status: "new", audio_analysis_status: "", audio_analysis_results: null, audio_analysis_error_count: 0 });
    const upload = await analysed(url, answer.body[0].id);
    expect(upload).to.include({ status: "done", audio_analysis_status: "done", audio_analysis_error_count: 0 });
    expect(upload).to.not.have.property("audio_analysis_error");
    const r = upload.audio_analysis_results;
    expect(r.bpm).to.be.closeTo(120, 1);
    expect(r.key).to.equal("A minor");
    expect(r.loudness).to.have.all.keys("integrated", "range", "truePeak", "trackGain");
    expect(r.loudness.trackGain).to.be.closeTo(-18 - r.loudness.integrated, 0.11);

    // the waveform is a blob like any other: its own CID, served by /ipfs/:cid, replicated
    const res = await fetch(`${url}/ipfs/${r.waveform_cid}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^application\/json/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(await cidOfBytes(bytes)).to.equal(r.waveform_cid);
    const waveform = JSON.parse(Buffer.from(bytes).toString("utf8"));
    expect(waveform).to.include({ version: 2, channels: 1, bits: 8 });
    expect(waveform.data).to.have.length(2 * waveform.length);
    await waitFor(() => filesOnDisk(fx.dirs[1]).some((f) => f.includes(r.waveform_cid)), 20_000, "the waveform on the other replica");
  });

  it("finishes silence, a 1 s file and a truncated file as done uploads with their analysis errors counted", async () => {
    const whole = await fixture("whole.wav", { kind: "tone", lufs: -20, seconds: 3 });
    const cases: [string, Buffer][] = [
      ["silence.wav", await fixture("silence.wav", { kind: "silence", seconds: 4 })],
      ["short.wav", await fixture("short.wav", { kind: "click", bpm: 120, seconds: 1 })],
      // the header promises 3 s; 2,000 bytes of samples follow: accepted, transcoded, not analysable
      ["truncated.wav", whole.subarray(0, 44 + 2000)],
    ];
    for (const [name, bytes] of cases) {
      const answer = await postUpload(url, fx.user, "audio", bytes, name);
      expect(answer.status, `${name}: ${JSON.stringify(answer.body)}`).to.equal(200);
      const upload = await analysed(url, answer.body[0].id);
      expect(upload.status, name).to.equal("done");
      expect(upload.results, name).to.have.property("320");
      expect(upload.audio_analysis_status, name).to.equal("error");
      expect(upload.audio_analysis_error_count, name).to.be.greaterThan(0);
      expect(upload.audio_analysis_error, name).to.be.a("string").and.match(/tempo/);
      expect(upload.audio_analysis_results.bpm, name).to.equal(null);
    }
  });

  it("counts an analysis interrupted by a crash as one error and runs it again on restart, giving up after three", async () => {
    const wav = await fixture("tone.wav", { kind: "tone", lufs: -20, seconds: 3 });
    const first = await analysed(url, (await postUpload(url, fx.user, "audio", wav, "tone.wav")).body[0].id);
    const again = await analysed(url, (await postUpload(url, fx.user, "audio", wav, "tone-again.wav")).body[0].id);
    await fx.stopNode(0);
    // what a crash mid-analysis leaves in the table: busy, with no process working on it
    const db = new Database(path.join(fx.dirs[0], CONTENT_NODE_DB_FILE));
    db.prepare("UPDATE uploads SET audio_analysis_status = 'busy', audio_analysis_results = NULL, audio_analysis_error_count = 0 WHERE id = ?").run(first.id);
    db.prepare("UPDATE uploads SET audio_analysis_status = 'busy', audio_analysis_error_count = ? WHERE id = ?").run(MAX_ANALYSIS_RUNS - 1, again.id);
    db.close();
    await fx.restartNode(0);

    const rerun = await analysed(url, first.id);
    expect(rerun.status).to.equal("done");
    expect(rerun.audio_analysis_error_count).to.equal(first.audio_analysis_error_count + 1);
    expect(rerun.audio_analysis_results.loudness.integrated).to.be.closeTo(-20, 0.5);
    const givenUp = await analysed(url, again.id);
    expect(givenUp).to.include({ status: "done", audio_analysis_status: "error", audio_analysis_error_count: MAX_ANALYSIS_RUNS });
    expect(givenUp.audio_analysis_error).to.match(/interrupted 3 times/);
  });

  it("adds the analysis columns to a database written before analysis existed, keeping its uploads", () => {
    const file = path.join(dir, "old.sqlite");
    const old = new Database(file);
    old.exec(`CREATE TABLE uploads (id TEXT PRIMARY KEY, status TEXT NOT NULL, template TEXT NOT NULL, orig_file_cid TEXT NOT NULL,
      orig_filename TEXT NOT NULL, results TEXT NOT NULL DEFAULT '{}', probe TEXT NOT NULL DEFAULT '{}', transcode_progress REAL NOT NULL DEFAULT 0,
      error TEXT, user_wallet TEXT NOT NULL, preview_start REAL NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`);
    old.prepare(`INSERT INTO uploads (id, status, template, orig_file_cid, orig_filename, user_wallet, created_at, updated_at)
      VALUES ('0123456789abcdef', 'done', 'audio', 'QmX', 'old.mp3', '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`).run();
    old.close();
    const db = openContentDb(file);
    try {
      expect(db.getUpload("0123456789abcdef")).to.include({
        orig_filename: "old.mp3", audio_analysis_status: "", audio_analysis_results: null, audio_analysis_error_count: 0,
      });
    } finally {
      db.close();
    }
  });
});
