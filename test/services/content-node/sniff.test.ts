import { expect } from "chai";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sniffAudioFile } from "../../../devnet/services/content-node/sniff";
import { FFMPEG, hlsPlaylist, id3Then } from "../../helpers/audio";

const run = promisify(execFile);

/** The MP3 sniff on real encoder output: it must find the frames after any tags, and nothing else. */
describe("content node: MPEG audio sniff", function () {
  this.timeout(60_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "asix-sniff-"));
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  const write = (name: string, bytes: Uint8Array) => {
    const file = path.join(work, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  /** An MPEG audio file from ffmpeg without an ID3 tag, so tests can put their own in front. */
  async function encode(name: string, sampleRate: number, codec: string[]): Promise<Buffer> {
    const file = path.join(work, name);
    const muxer = codec.includes("mp2") ? ["-f", "mp2"] : ["-id3v2_version", "0", "-f", "mp3"];
    await run(FFMPEG, ["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", `sine=frequency=440:duration=2:sample_rate=${sampleRate}`, ...codec, ...muxer, file]);
    return fs.readFileSync(file);
  }

  const variants: [string, number, string[]][] = [
    ["MPEG-1 layer III, 44.1 kHz, 128 kb/s", 44100, ["-c:a", "libmp3lame", "-b:a", "128k"]],
    ["MPEG-1 layer III, 48 kHz, VBR", 48000, ["-c:a", "libmp3lame", "-q:a", "2"]],
    ["MPEG-2 layer III, 22.05 kHz, 64 kb/s", 22050, ["-c:a", "libmp3lame", "-b:a", "64k"]],
    ["MPEG-2.5 layer III, 8 kHz, 8 kb/s", 8000, ["-c:a", "libmp3lame", "-b:a", "8k"]],
    ["MPEG-1 layer II, 48 kHz, 192 kb/s", 48000, ["-c:a", "mp2", "-b:a", "192k"]],
  ];
  for (const [name, rate, codec] of variants) {
    it(`recognises ${name}, bare and behind an ID3 tag`, async () => {
      const bytes = await encode(`${rate}-${codec.join("")}.mp3`, rate, codec);
      expect(await sniffAudioFile(write("bare.mp3", bytes))).to.equal("mp3");
      expect(await sniffAudioFile(write("tagged.mp3", id3Then(bytes, 100_000)))).to.equal("mp3");
    });
  }

  it("finds the frames after two ID3 tags and zero padding", async () => {
    const bytes = await encode("plain.mp3", 44100, ["-c:a", "libmp3lame", "-b:a", "128k"]);
    expect(await sniffAudioFile(write("two-tags.mp3", id3Then(id3Then(Buffer.concat([Buffer.alloc(700), bytes]), 50), 20)))).to.equal("mp3");
  });

  it("refuses a tag followed by one frame header and then a playlist", async () => {
    const bytes = await encode("frame.mp3", 44100, ["-c:a", "libmp3lame", "-b:a", "128k"]);
    const oneFrame = bytes.subarray(0, 417); // a 128 kb/s 44.1 kHz frame is 417 or 418 bytes
    expect(await sniffAudioFile(write("frame-then-playlist.mp3", id3Then(Buffer.concat([oneFrame, Buffer.from(hlsPlaylist(["/etc/hosts"]))]))))).to.equal(undefined);
  });

  it("leaves the other kinds to their magic bytes", async () => {
    expect(await sniffAudioFile(write("x.flac", Buffer.concat([Buffer.from("fLaC"), Buffer.alloc(60)])))).to.equal("flac");
    expect(await sniffAudioFile(write("x.txt", Buffer.from("#EXTM3U\n/etc/hosts\n")))).to.equal(undefined);
  });
});
