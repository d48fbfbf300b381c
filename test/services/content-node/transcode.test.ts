import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeAudio } from "../../helpers/audio";
import { decodedDuration, download, postUpload, probe, startNodes, waitFor, waitForUpload, type NodeFixture, json } from "./fixture";

describe("content node: transcoding", function () {
  this.timeout(120_000);
  let fx: NodeFixture;
  let url: string;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "asix-transcode-"));

  before(async () => {
    fx = await startNodes(1, { replicationFactor: 1 });
    url = fx.nodes[0].url;
  });
  after(async () => {
    await fx.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  for (const format of ["mp3", "wav", "flac", "ogg", "m4a"] as const) {
    it(`turns a ${format} into a 320 kbps / 48 kHz MP3 of the same length and a 30 s preview`, async () => {
      const source = await makeAudio({ seconds: 36, format, dir: work });
      const sourceSeconds = await decodedDuration(source);
      const answer = await postUpload(url, fx.user, "audio", fs.readFileSync(source), path.basename(source), { previewStartSeconds: "3" });
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      const progress: number[] = [];
      const upload = await waitForUpload(url, answer.body[0].id, 60_000, (u) => progress.push(u.transcode_progress));
      expect(upload.status, upload.error).to.equal("done");
      expect(upload.transcode_progress).to.equal(1);
      expect(progress.every((p, i) => i === 0 || p >= progress[i - 1])).to.equal(true);
      expect(Number(upload.probe.format.duration)).to.be.closeTo(36, 0.1);
      expect(Object.keys(upload.results).sort()).to.deep.equal(["320", "320_preview|3"]);

      const full = path.join(work, `${format}-320.mp3`);
      const preview = path.join(work, `${format}-preview.mp3`);
      await download(`${url}/content/${upload.results["320"]}`, full);
      await download(`${url}/content/${upload.results["320_preview|3"]}`, preview);
      const facts = await probe(full);
      expect(facts).to.include({ codec: "mp3", sampleRate: 48000, kbps: 320 });
      expect(await decodedDuration(full)).to.be.closeTo(sourceSeconds, 0.1);
      const previewFacts = await probe(preview);
      expect(previewFacts).to.include({ codec: "mp3", sampleRate: 48000, kbps: 320 });
      expect(await decodedDuration(preview)).to.be.closeTo(30, 0.1);
    });
  }

  it("resumes a transcode that was in flight when the node stopped", async () => {
    const source = await makeAudio({ seconds: 150, format: "wav", dir: work, frequency: 220 });
    const answer = await postUpload(url, fx.user, "audio", fs.readFileSync(source), "long.wav");
    expect(answer.status).to.equal(200);
    const id = answer.body[0].id;
    await waitFor(async () => (await json(await fetch(`${url}/uploads/${id}`))).status === "busy", 10_000, "the job to start");
    await fx.stopNode(0);
    await fx.restartNode(0);
    expect(fx.nodes[0].url).to.equal(url);
    const resumed = await json(await fetch(`${url}/uploads/${id}`));
    expect(resumed.status).to.be.oneOf(["new", "busy"]);
    const upload = await waitForUpload(url, id, 60_000);
    expect(upload.status, upload.error).to.equal("done");
    expect(fs.readdirSync(path.join(fx.dirs[0], "tmp"))).to.deep.equal([]);
    const full = path.join(work, "long-320.mp3");
    await download(`${url}/content/${upload.results["320"]}`, full);
    expect((await probe(full)).duration).to.be.closeTo(150, 0.1);
  });
});
