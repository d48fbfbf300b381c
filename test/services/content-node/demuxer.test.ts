import { expect } from "chai";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import sharp from "sharp";
import { transcodeAudio } from "../../../devnet/services/content-node/audio";
import { FFMPEG, hlsPlaylist, id3Then, makeAudio, withFlacDuration } from "../../helpers/audio";
import { filesOnDisk, postUpload, startNodes, waitForUpload, type NodeFixture } from "./fixture";

/**
 * Hostile "audio": files that pass a naive sniff and then make ffmpeg's demuxer probing open other
 * local files or URLs, or claim more audio than they hold. Each upload must be refused (4xx) or end
 * in an error status, and nothing from it may be published.
 */
describe("content node: demuxer tricks", function () {
  this.timeout(120_000);
  let fx: NodeFixture;
  let url: string;
  let nodeTmp: string;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "asix-demuxer-"));
  let secret: string;
  let requests: string[];
  let server: http.Server;
  let httpUrl: string;

  before(async () => {
    fx = await startNodes(1, { replicationFactor: 1 });
    url = fx.nodes[0].url;
    nodeTmp = path.join(fx.dirs[0], "tmp");
    // The operator's file the attacker wants published: a real WAV, at an absolute path and beside the upload.
    secret = await makeAudio({ seconds: 7, format: "wav", dir: work, frequency: 300 });
    fs.copyFileSync(secret, path.join(nodeTmp, "secret.wav"));
    requests = [];
    server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      fs.createReadStream(secret).pipe(res);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    httpUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    await fx.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** POST the bytes as audio; it must be refused with a 4xx JSON error and leave no blob. */
  async function expectRefused(bytes: Uint8Array, filename = "song.mp3") {
    const before = filesOnDisk(fx.dirs[0]);
    const answer = await postUpload(url, fx.user, "audio", bytes, filename);
    expect(answer.status, JSON.stringify(answer.body)).to.be.within(400, 499);
    expect(answer.body.error.code).to.equal("UNSUPPORTED_MEDIA");
    expect(filesOnDisk(fx.dirs[0])).to.deep.equal(before);
  }

  const cases: [string, () => Uint8Array][] = [
    ["an ID3 tag then an HLS playlist naming a local file by file:// URL", () => id3Then(hlsPlaylist([`file://${secret}`]))],
    ["an ID3 tag then an HLS playlist naming a local file by absolute path", () => id3Then(hlsPlaylist([secret]))],
    ["an ID3 tag then an HLS playlist naming a file beside the upload", () => id3Then(hlsPlaylist(["secret.wav"]))],
    ["an HLS playlist listing one file 1,000 times (nearly 2 hours)", () => id3Then(hlsPlaylist(Array(1000).fill(secret)))],
    ["an HLS playlist without an ID3 tag", () => Buffer.from(hlsPlaylist([`file://${secret}`]))],
    ["an ID3 tag then a concat list naming /etc/passwd", () => id3Then("ffconcat version 1.0\nfile '/etc/passwd'\n")],
    ["an ID3 tag then a concat list naming a file beside the upload", () => id3Then("ffconcat version 1.0\nfile 'secret.wav'\nduration 7\n")],
    ["an ID3 tag then a concat protocol URL in a playlist", () => id3Then(hlsPlaylist([`concat:${secret}|${secret}`]))],
    ["an ID3 tag then an SDP session", () => id3Then("v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 5004 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n")],
    ["an ID3 tag then a WAV file (a container that is not MPEG audio)", () => id3Then(fs.readFileSync(secret))],
    ["an ID3 tag whose size runs past the end of the file", () => id3Then(hlsPlaylist([secret]), 0).fill(0x7f, 6, 10)],
    ["an MPEG frame header followed by an HLS playlist", () => Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.from(hlsPlaylist([secret]))])],
  ];
  for (const [name, bytes] of cases) it(`refuses ${name}`, () => expectRefused(bytes()));

  it("refuses a playlist with an http URL, and the URL receives no request", async () => {
    await expectRefused(id3Then(hlsPlaylist([`${httpUrl}/secret.wav`])));
    await expectRefused(id3Then(`ffconcat version 1.0\nfile '${httpUrl}/list.wav'\n`));
    expect(requests).to.deep.equal([]);
  });

  it("refuses a FLAC whose header claims 10 hours in 40 kB", async () => {
    const flac = fs.readFileSync(await makeAudio({ seconds: 2, format: "flac", dir: work }));
    await expectRefused(withFlacDuration(flac, 36_000), "long.flac");
  });

  it("fails a FLAC whose header claims more audio than its frames hold, publishing no transcode", async () => {
    const flac = fs.readFileSync(await makeAudio({ seconds: 20, format: "flac", dir: work }));
    const answer = await postUpload(url, fx.user, "audio", flac.subarray(0, Math.floor(flac.length / 3)), "cut.flac");
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200); // its header and first frames are valid
    const upload = await waitForUpload(url, answer.body[0].id);
    expect(upload.status).to.equal("error");
    expect(upload.error).to.match(/decodes to/);
    expect(upload.results).to.deep.equal({});
  });

  it("still takes a real MP3 whose ID3 tag carries 200 kB of cover art", async () => {
    const mp3 = await makeAudio({ seconds: 4, format: "mp3", dir: work });
    const cover = path.join(work, "cover.png");
    // Random pixels do not compress: the tag ends far beyond the sniffed head.
    const noise = Buffer.from(Array.from({ length: 300 * 300 * 3 }, () => Math.floor(Math.random() * 256)));
    await sharp(noise, { raw: { width: 300, height: 300, channels: 3 } }).png().toFile(cover);
    const tagged = path.join(work, "tagged.mp3");
    await promisify(execFile)(FFMPEG, ["-hide_banner", "-v", "error", "-y", "-i", mp3, "-i", cover, "-map", "0", "-map", "1", "-c", "copy", "-id3v2_version", "3", tagged]);
    const bytes = fs.readFileSync(tagged);
    expect(bytes.subarray(0, 3).toString()).to.equal("ID3");
    expect(bytes.length - fs.statSync(mp3).size).to.be.greaterThan(200_000); // the cover went into the tag
    const answer = await postUpload(url, fx.user, "audio", bytes, "tagged.mp3");
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    const upload = await waitForUpload(url, answer.body[0].id);
    expect(upload.status, upload.error).to.equal("done");
    expect(Number(upload.probe.format.duration)).to.be.closeTo(4, 0.1);
  });

  it("still takes the thinnest real MP3: 8 kb/s at 8 kHz", async () => {
    const thin = path.join(work, "thin.mp3");
    await promisify(execFile)(FFMPEG, ["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "60", "-c:a", "libmp3lame", "-b:a", "8k", thin]);
    const answer = await postUpload(url, fx.user, "audio", fs.readFileSync(thin), "thin.mp3");
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(Number(answer.body[0].probe.format.duration)).to.be.closeTo(60, 0.2);
    expect((await waitForUpload(url, answer.body[0].id)).status).to.equal("done");
  });

  it("never lets ffmpeg read another file, even when handed a playlist as an MP3", async () => {
    const playlist = path.join(work, "playlist.mp3");
    fs.writeFileSync(playlist, id3Then(hlsPlaylist([`file://${secret}`])));
    const output = path.join(work, "out.mp3");
    const previewOutput = path.join(work, "preview.mp3");
    let error: unknown;
    await transcodeAudio({ input: playlist, kind: "mp3", output, previewOutput, previewStart: 0, duration: 7 }).catch((e) => (error = e));
    expect(error, "ffmpeg transcoded the playlist's target").to.have.property("code", "UPLOAD_FAILED");
  });
});
