import { expect } from "chai";
import sharp from "sharp";
import type { Devnet } from "../../devnet";
import { createAsix, type Asix } from "../../sdk";
import { startTestDevnet } from "../helpers/devnet";
import { makeAudio } from "../helpers/audio";

async function imageSize(url: string): Promise<{ width?: number; height?: number; format?: string }> {
  const res = await fetch(url);
  expect(res.status, url).to.equal(200);
  return sharp(Buffer.from(await res.arrayBuffer())).metadata();
}

describe("media through the SDK: cover art and profile images", function () {
  let devnet: Devnet;
  let artist: Asix;

  before(async () => {
    devnet = await startTestDevnet({ contentNodes: 2 });
    artist = createAsix({ network: devnet, wallet: devnet.accounts[13].privateKey });
    await artist.users.create({ handle: "painter" });
  });
  after(async () => {
    await devnet?.stop();
  });

  it("uploads a wav with cover art; the track's artwork has every square size", async () => {
    const wav = await makeAudio({ seconds: 3, format: "wav" });
    const cover = await sharp({ create: { width: 1400, height: 1400, channels: 3, background: "#3366cc" } }).png().toBuffer();
    const phases: string[] = [];
    const { trackId, duration } = await artist.tracks.upload(wav, { title: "With art" }, { cover, onProgress: (p) => phases.push(p.phase) });
    expect(duration).to.be.closeTo(3, 0.1);
    expect(phases).to.include.members(["upload", "transcode", "cover", "write"]);
    const track = await artist.tracks.get(trackId);
    for (const size of [150, 480, 1000]) {
      const meta = await imageSize(track.artwork[`${size}x${size}` as "150x150"]);
      expect([meta.width, meta.height, meta.format]).to.deep.equal([size, size, "jpeg"]);
    }
  });

  it("updates the profile with a picture and a cover photo", async () => {
    const picture = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#cc3366" } }).jpeg().toBuffer();
    const backdrop = await sharp({ create: { width: 2400, height: 800, channels: 3, background: "#66cc33" } }).webp().toBuffer();
    await artist.users.updateProfile({ bio: "paints with sound", profilePicture: picture, coverPhoto: backdrop });
    const me = await artist.users.get(await artist.whoami());
    expect(me.bio).to.equal("paints with sound");
    expect((await imageSize(me.profilePicture["480x480"])).width).to.equal(480);
    const wide = await imageSize(me.coverPhoto["2000x"]);
    expect(wide.width).to.equal(2000);
  });
});
