import { expect } from "chai";
import sharp from "sharp";
import { filesOnDisk, postUpload, startNodes, type NodeFixture, json } from "./fixture";

const picture = (width: number, height: number, format: "jpeg" | "png" | "webp") =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })[format]().toBuffer();

describe("content node: images", function () {
  let fx: NodeFixture;
  let url: string;

  before(async () => {
    fx = await startNodes(1, { replicationFactor: 1 });
    url = fx.nodes[0].url;
  });
  after(() => fx.close());

  const sizes = async (uploadId: string, variant: string) => {
    const res = await fetch(`${url}/content/${uploadId}/${variant}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.equal("image/jpeg");
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    return { format: meta.format, width: meta.width, height: meta.height };
  };

  it("makes 150, 480 and 1000 px square JPEGs of cover art", async () => {
    const answer = await postUpload(url, fx.user, "img_square", await picture(1200, 900, "png"), "cover.png");
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    const upload = answer.body[0];
    expect(upload).to.include({ status: "done", template: "img_square", transcode_progress: 1 });
    expect(Object.keys(upload.results).sort()).to.deep.equal(["1000x1000.jpg", "150x150.jpg", "480x480.jpg"]);
    for (const n of [150, 480, 1000]) {
      expect(await sizes(upload.id, `${n}x${n}.jpg`)).to.deep.equal({ format: "jpeg", width: n, height: n });
      const byCid = await fetch(`${url}/content/${upload.results[`${n}x${n}.jpg`]}`);
      expect(byCid.status).to.equal(200);
    }
  });

  it("makes 640 and 2000 px wide backdrops that keep the aspect ratio", async () => {
    const answer = await postUpload(url, fx.user, "img_backdrop", await picture(1600, 400, "webp"), "banner.webp");
    expect(answer.status).to.equal(200);
    const upload = answer.body[0];
    expect(Object.keys(upload.results).sort()).to.deep.equal(["2000x.jpg", "640x.jpg"]);
    expect(await sizes(upload.id, "640x.jpg")).to.deep.equal({ format: "jpeg", width: 640, height: 160 });
    expect(await sizes(upload.id, "2000x.jpg")).to.deep.equal({ format: "jpeg", width: 2000, height: 500 });
  });

  it("answers 404 JSON for a variant the upload does not have", async () => {
    const answer = await postUpload(url, fx.user, "img_backdrop", await picture(800, 600, "jpeg"), "b.jpg");
    const res = await fetch(`${url}/content/${answer.body[0].id}/150x150.jpg`);
    expect(res.status).to.equal(404);
    expect((await json(res)).error.code).to.equal("NOT_FOUND");
  });

  it("refuses a truncated image with 415 and stores nothing", async () => {
    const jpeg = await picture(800, 800, "jpeg");
    const before = filesOnDisk(fx.dirs[0]);
    const answer = await postUpload(url, fx.user, "img_square", jpeg.subarray(0, Math.floor(jpeg.length / 2)), "cut.jpg");
    expect(answer.status).to.equal(415);
    expect(answer.body.error.code).to.equal("UNSUPPORTED_MEDIA");
    expect(filesOnDisk(fx.dirs[0])).to.deep.equal(before);
  });

  it("refuses an image over the image size limit with 413", async () => {
    const small = await startNodes(1, { maxImageBytes: 1000, replicationFactor: 1 });
    try {
      const answer = await postUpload(small.nodes[0].url, small.user, "img_square", await picture(400, 400, "png"), "c.png");
      expect(answer.status).to.equal(413);
      expect(filesOnDisk(small.dirs[0])).to.deep.equal([]);
    } finally {
      await small.close();
    }
  });
});
