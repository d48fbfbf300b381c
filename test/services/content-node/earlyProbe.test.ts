import { expect } from "chai";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { signRequestHeaders } from "../../../sdk/signatures";
import { probeAudio, probeGrowing } from "../../../devnet/services/content-node/audio";
import { TempFileWriter } from "../../../devnet/services/content-node/tempFile";
import { makeAudio } from "../../helpers/audio";
import { startNodes, waitForUpload, type NodeFixture } from "./fixture";

const BOUNDARY = "----asixearly";
const part = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const filePart = (filename: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="${filename}"\r\nContent-Type: audio/wav\r\n\r\n`;

/** POST a hand-made multipart body in pieces; the answer's status, JSON and Server-Timing. */
function post(url: string, pieces: Buffer[]): Promise<{ status: number; body: any; timing: string }> {
  return new Promise((resolve, reject) => {
    void signRequestHeaders(Wallet.createRandom()).then((signed) => {
      const length = pieces.reduce((n, p) => n + p.length, 0);
      const req = http.request(`${url}/uploads`, { method: "POST", headers: { ...signed, "content-type": `multipart/form-data; boundary=${BOUNDARY}`, "content-length": String(length) } }, (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text), timing: String(res.headers["server-timing"] ?? "") }));
      });
      req.on("error", reject);
      for (const p of pieces) req.write(p);
      req.end();
    }, reject);
  });
}

describe("content node: the audio probe runs while the upload arrives", function () {
  this.timeout(120_000);
  let fx: NodeFixture;
  let work: string;
  let wav: Buffer;
  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "asix-early-probe-"));
    wav = fs.readFileSync(await makeAudio({ seconds: 30, format: "wav", dir: work }));
    fx = await startNodes(1, { replicationFactor: 1 });
  });
  after(async () => {
    await fx?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("uses the probe made while receiving when the file ends the body, as clients send it", async () => {
    const url = fx.nodes[0].url;
    const answer = await post(url, [Buffer.from(part("template", "audio") + filePart("a.wav")), wav, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(answer.timing).to.match(/probe;dur=[\d.]+;desc="while receiving"/);
    expect(Number(answer.body[0].probe.format.duration)).to.be.closeTo(30, 0.01);
    expect((await waitForUpload(url, answer.body[0].id)).status).to.equal("done");
  });

  it("probes the complete file again when the body goes on after the file (the early probe's size was wrong)", async () => {
    const url = fx.nodes[0].url;
    const variant = Buffer.from(wav);
    variant.writeInt16LE(7, variant.length - 2);
    const answer = await post(url, [
      Buffer.from(part("template", "audio") + filePart("b.wav")),
      variant,
      Buffer.from(`\r\n${part("previewStartSeconds", "3").trimEnd()}\r\n--${BOUNDARY}--\r\n`),
    ]);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(answer.timing).to.match(/probe;dur=[\d.]+;desc="after the last byte"/);
    expect(Number(answer.body[0].probe.format.duration)).to.be.closeTo(30, 0.01);
    expect((await waitForUpload(url, answer.body[0].id)).status).to.equal("done");
  });

  it("refuses audio whose header lies, probed while it arrives, with nothing left behind", async () => {
    const url = fx.nodes[0].url;
    const lying = Buffer.from(wav);
    lying.writeUInt32LE(0xfffffff0, 40); // the data chunk claims ~4 GB: hours the bytes do not hold
    const answer = await post(url, [Buffer.from(part("template", "audio") + filePart("c.wav")), lying, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(415);
    expect(answer.body.error.code).to.equal("UNSUPPORTED_MEDIA");
    expect(fs.readdirSync(path.join(fx.dirs[0], "tmp"))).to.deep.equal([]);
  });

  it("gives the complete file's probe for every kind, read while the file is written", async () => {
    for (const format of ["mp3", "wav", "flac", "m4a", "ogg"] as const) {
      const source = fs.readFileSync(await makeAudio({ seconds: 7, format, dir: work }));
      const file = path.join(work, `growing.${format}`);
      const out = await TempFileWriter.create(file);
      const probing = probeGrowing({ path: file, size: source.length, waitFor: (bytes) => out.waitFor(bytes) });
      for (let at = 0; at < source.length; at += 4096) {
        await out.write(source.subarray(at, at + 4096));
        await new Promise((r) => setImmediate(r)); // let the probe read between writes
      }
      await out.finish();
      const early = await probing;
      await out.sync();
      if (format === "ogg") expect(early, "ogg is probed once complete").to.equal(undefined);
      else expect(early, format).to.deep.equal(await probeAudio(file));
      fs.rmSync(file);
    }
  });

  it("ends a probe of a file that stopped short instead of waiting for bytes that never come", async () => {
    const file = path.join(work, "short.wav");
    const out = await TempFileWriter.create(file);
    const probing = probeGrowing({ path: file, size: wav.length + 1000, waitFor: (bytes) => out.waitFor(bytes) });
    const outcome = probing.then(
      () => "accepted",
      (err: Error) => err.message,
    );
    await out.write(wav.subarray(0, 1000));
    await out.write(randomBytes(10));
    await out.abort();
    expect(await outcome).to.match(/ended before byte/);
  });
});
