import { expect } from "chai";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { Wallet } from "ethers";
import sharp from "sharp";
import { cidOfBytes } from "../../../sdk/cid";
import { recoverDataSigner, signPeerRequest, signRequestHeaders } from "../../../sdk/signatures";
import { PROTOCOL_VERSION } from "../../../sdk/protocol/version";
import { makeAudio } from "../../helpers/audio";
import { filesOnDisk, postUpload as post, startNodes, waitFor, waitForUpload, type NodeFixture, json } from "./fixture";

const VECTORS = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../vectors/cids.json"), "utf8"));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const vectorBytes = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + 7) & 255);

/** A raw request, so paths reach the server exactly as written (fetch would normalize `..`). */
function raw(url: string, method: string, pathname: string, headers: Record<string, string> = {}, body?: Uint8Array) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, method, path: pathname, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Every upload this file made, so a test can wait until the node has no transcode left to write. */
const made = new Map<string, string>();

function remember(url: string, answer: { status: number; body: any }) {
  if (answer.status === 200 && Array.isArray(answer.body)) for (const u of answer.body) made.set(u.id, url);
  return answer;
}

const postUpload = async (...args: Parameters<typeof post>) => remember(args[0], await post(...args));

/** Until every upload made so far is done or error: a transcode in flight writes tmp/*.mp3 and new blobs. */
async function transcodesSettled(): Promise<void> {
  for (const [id, url] of made) await waitForUpload(url, id);
}

describe("content node: uploads, storage and serving", function () {
  let fx: NodeFixture;
  let url: string;
  let dir: string;
  let mp3: Buffer;
  let mp3Cid: string;
  let png: Buffer;

  before(async () => {
    fx = await startNodes(1, { replicationFactor: 1 });
    url = fx.nodes[0].url;
    dir = fx.dirs[0];
    mp3 = fs.readFileSync(await makeAudio({ seconds: 5, format: "mp3" }));
    png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#3a7" } }).png().toBuffer();
    const answer = await postUpload(url, fx.user, "audio", mp3, "tone.mp3");
    expect(answer.status).to.equal(200);
    mp3Cid = answer.body[0].orig_file_cid;
  });
  after(() => fx.close());

  describe("POST /uploads", () => {
    it("answers an array with one upload carrying the original's ipfs CID and the uploader's wallet", async () => {
      const answer = await postUpload(url, fx.user, "audio", mp3, "again.mp3", { previewStartSeconds: "1" });
      expect(answer.status).to.equal(200);
      expect(answer.body).to.be.an("array").with.length(1);
      const upload = answer.body[0];
      expect(upload).to.include.keys("id", "status", "template", "orig_file_cid", "orig_filename", "results", "probe", "transcode_progress", "user_wallet");
      expect(upload.template).to.equal("audio");
      expect(upload.orig_file_cid).to.equal(await cidOfBytes(mp3));
      expect(upload.orig_filename).to.equal("again.mp3");
      expect(upload.user_wallet).to.equal(fx.user.address);
      expect(Number(upload.probe.format.duration)).to.be.closeTo(5, 0.1);
      expect(["new", "busy", "done"]).to.include(upload.status);
      const polled = await json(await fetch(`${url}/uploads/${upload.id}`));
      expect(polled.id).to.equal(upload.id);
    });

    it("accepts the template field after the file part", async () => {
      const form = new FormData();
      form.set("files", new Blob([mp3]), "late.mp3");
      form.set("template", "audio");
      const res = await fetch(`${url}/uploads`, { method: "POST", body: form, headers: await signRequestHeaders(fx.user) });
      expect(res.status).to.equal(200);
      const body = await json(res);
      remember(url, { status: res.status, body });
      expect(body[0]).to.include({ template: "audio", orig_file_cid: mp3Cid, orig_filename: "late.mp3" });
    });

    it("stores the original by CID and serves it byte for byte", async () => {
      const res = await fetch(`${url}/content/${mp3Cid}`);
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.equal("audio/mpeg");
      expect(res.headers.get("etag")).to.equal(`"${mp3Cid}"`);
      expect(res.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
      expect(Buffer.from(await res.arrayBuffer()).equals(mp3)).to.equal(true);
      expect(filesOnDisk(dir)).to.include(path.join("blobs", mp3Cid.slice(-2), mp3Cid));
    });
  });

  describe("GET|HEAD /content/:cid and /ipfs/:cid", () => {
    it("serves a Range as 206 with Content-Range", async () => {
      const res = await fetch(`${url}/ipfs/${mp3Cid}`, { headers: { range: "bytes=100-1099" } });
      expect(res.status).to.equal(206);
      expect(res.headers.get("content-range")).to.equal(`bytes 100-1099/${mp3.length}`);
      expect(Buffer.from(await res.arrayBuffer()).equals(mp3.subarray(100, 1100))).to.equal(true);
    });

    it("serves open-ended and suffix ranges", async () => {
      const tail = await fetch(`${url}/content/${mp3Cid}`, { headers: { range: "bytes=-10" } });
      expect(tail.status).to.equal(206);
      expect(Buffer.from(await tail.arrayBuffer()).equals(mp3.subarray(mp3.length - 10))).to.equal(true);
      const rest = await fetch(`${url}/content/${mp3Cid}`, { headers: { range: `bytes=${mp3.length - 5}-` } });
      expect(rest.headers.get("content-range")).to.equal(`bytes ${mp3.length - 5}-${mp3.length - 1}/${mp3.length}`);
    });

    it("answers HEAD with the headers and no body", async () => {
      const res = await raw(url, "HEAD", `/content/${mp3Cid}`);
      expect(res.status).to.equal(200);
      expect(res.headers["content-length"]).to.equal(String(mp3.length));
      expect(res.body.length).to.equal(0);
    });

    it("answers 304 to If-None-Match with the CID", async () => {
      const res = await fetch(`${url}/content/${mp3Cid}`, { headers: { "if-none-match": `"${mp3Cid}"` } });
      expect(res.status).to.equal(304);
    });

    for (const range of [`bytes=999999999-`, "bytes=abc", "bytes=0-1,5-9", "items=0-1", "bytes=10-5"]) {
      it(`refuses Range ${range} with 416 JSON`, async () => {
        const res = await fetch(`${url}/content/${mp3Cid}`, { headers: { range } });
        expect(res.status).to.equal(416);
        expect(res.headers.get("content-range")).to.equal(`bytes */${mp3.length}`);
        expect((await json(res)).error.code).to.equal("RANGE_NOT_SATISFIABLE");
      });
    }

    it("answers 404 JSON for a well-formed CID it does not hold", async () => {
      const res = await fetch(`${url}/content/${VECTORS.vectors[2].cidV0}`);
      expect(res.status).to.equal(404);
      expect((await json(res)).error.code).to.equal("NOT_FOUND");
    });

    for (const bad of ["not-a-cid", "QmTooShort", "..", "..%2F..%2Fcontent-node.sqlite", "%2Fetc%2Fpasswd", `${"Qm" + "1".repeat(44)}`]) {
      it(`refuses the malformed CID ${bad} with 400`, async () => {
        const res = await raw(url, "GET", `/content/${bad}`);
        expect(res.status).to.equal(400);
        expect(JSON.parse(res.body.toString()).error.code).to.equal("INVALID_INPUT");
      });
    }

    for (const trick of ["/content/../content-node.sqlite", "/ipfs/../../etc/passwd", "/content/x/../../content-node.sqlite", "/content/abcdefabcdefabcdef/..%2F150x150.jpg", "/content/abcdefabcdefabcdef/original"]) {
      it(`refuses the path trick ${trick} with 4xx JSON`, async () => {
        const res = await raw(url, "GET", trick);
        expect(res.status).to.be.within(400, 404);
        expect(JSON.parse(res.body.toString()).error.code).to.be.a("string");
        expect(res.body.toString()).to.not.include("SQLite");
      });
    }
  });

  describe("CIDs equal ipfs add", () => {
    // A node stores only audio and images pushed by a registered peer, so the vectors' sizes are
    // pushed as "png" bytes (the 8-byte PNG signature first); cidOfBytes itself is held to the
    // vectors in test/sdk.
    const peerPut = async (cid: string, bytes: Uint8Array) =>
      raw(url, "PUT", `/internal/blobs/${cid}`, { "content-type": "application/octet-stream", ...(await signPeerRequest(fx.wallets[0], "PUT", `${url}/internal/blobs/${cid}`)) }, bytes);
    for (const v of VECTORS.vectors.filter((x: { size: number }) => [0, 1, 262144, 262145, 5242880].includes(x.size))) {
      it(`stores and serves ${v.size} bytes after a PNG signature under their ipfs add CID`, async () => {
        const bytes = Buffer.concat([PNG_SIGNATURE, vectorBytes(v.size)]);
        const cid = await cidOfBytes(bytes);
        const put = await peerPut(cid, bytes);
        expect(put.status, put.body.toString()).to.be.oneOf([200, 201]);
        expect(filesOnDisk(dir)).to.include(path.join("blobs", cid.slice(-2), cid));
        const res = await fetch(`${url}/content/${cid}`);
        expect(res.status).to.equal(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(bytes))).to.equal(true);
      });
    }

    it("refuses bytes that do not hash to the CID they are sent as, keeping nothing", async () => {
      const v = VECTORS.vectors.find((x: { size: number }) => x.size === 1000);
      await transcodesSettled();
      const before = filesOnDisk(dir);
      const put = await peerPut(v.cidV0, Buffer.concat([PNG_SIGNATURE, vectorBytes(999)]));
      expect(put.status).to.equal(400);
      expect(JSON.parse(put.body.toString()).error.code).to.equal("INVALID_INPUT");
      expect(filesOnDisk(dir)).to.deep.equal(before);
      expect((await fetch(`${url}/content/${v.cidV0}?noredirect=1`)).status).to.equal(404);
    });
  });

  describe("/health_check", () => {
    it("carries the §5 fields, real disk figures, and the node's signature", async () => {
      const body = await json(await fetch(`${url}/health_check`));
      const d = body.data;
      expect(d).to.include({ healthy: true, service: "content-node", self: url, spID: 0, replicationFactor: 1, diskHasSpace: true });
      expect(d.version).to.equal(PROTOCOL_VERSION);
      const stats = fs.statfsSync(dir);
      expect(d.storagePathSize).to.equal(stats.blocks * stats.bsize);
      expect(d.storagePathUsed).to.be.greaterThan(0).and.below(d.storagePathSize);
      expect(d.uploadsCount).to.be.at.least(2);
      expect(d.peerHealths).to.be.an("object");
      expect(body.signer).to.equal(new Wallet(fx.configs[0].privateKey).address);
      expect(recoverDataSigner({ data: d, timestamp: body.timestamp }, body.signature)).to.equal(body.signer);
    });
  });

  describe("bad uploads: 4xx JSON, nothing left on disk", () => {
    async function expectRefused(status: number, code: string, send: () => Promise<{ status: number; body: any }>) {
      await transcodesSettled();
      const before = filesOnDisk(dir);
      const answer = await send();
      expect(answer.status, JSON.stringify(answer.body)).to.equal(status);
      expect(answer.body.error.code).to.equal(code);
      expect(filesOnDisk(dir)).to.deep.equal(before);
    }

    it("refuses a signed header set used a second time (401)", async () => {
      const headers = await signRequestHeaders(fx.user);
      expect((await postUpload(url, undefined, "img_square", png, "a.png", {}, headers)).status).to.equal(200);
      await expectRefused(401, "UNAUTHORIZED", () => postUpload(url, undefined, "img_square", png, "a.png", {}, headers));
    });

    it("refuses signed headers without their nonce (401)", async () => {
      const { "x-asix-nonce": _nonce, ...headers } = await signRequestHeaders(fx.user);
      await expectRefused(401, "UNAUTHORIZED", () => postUpload(url, undefined, "audio", mp3, "a.mp3", {}, headers));
    });

    it("refuses an expired upload signature (401)", async () => {
      const stale = await signRequestHeaders(fx.user, Date.now() - 6 * 60 * 1000);
      await expectRefused(401, "UNAUTHORIZED", () => postUpload(url, undefined, "audio", mp3, "a.mp3", {}, stale));
    });

    it("refuses headers signed by another wallet (401)", async () => {
      const headers = { ...(await signRequestHeaders(fx.user)), "x-asix-wallet": Wallet.createRandom().address };
      await expectRefused(401, "UNAUTHORIZED", () => postUpload(url, undefined, "audio", mp3, "a.mp3", {}, headers));
    });

    it("refuses a zero-byte file (400)", () => expectRefused(400, "INVALID_INPUT", () => postUpload(url, fx.user, "audio", new Uint8Array(0), "empty.mp3")));

    it("refuses a text file renamed .mp3 (415)", () =>
      expectRefused(415, "UNSUPPORTED_MEDIA", () => postUpload(url, fx.user, "audio", Buffer.from("hello, I am not music\n".repeat(50)), "song.mp3")));

    it("refuses a truncated mp3 (415)", () =>
      expectRefused(415, "UNSUPPORTED_MEDIA", () => postUpload(url, fx.user, "audio", mp3.subarray(0, Math.floor(mp3.length / 2)), "cut.mp3")));

    it("refuses an mp3 cut inside its first frame (415)", () =>
      expectRefused(415, "UNSUPPORTED_MEDIA", () => postUpload(url, fx.user, "audio", mp3.subarray(0, 300), "cut.mp3")));

    it("refuses an image sent as audio and audio sent as an image (415)", async () => {
      await expectRefused(415, "UNSUPPORTED_MEDIA", () => postUpload(url, fx.user, "img_square", mp3, "cover.jpg"));
      const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
      await expectRefused(415, "UNSUPPORTED_MEDIA", () => postUpload(url, fx.user, "audio", png, "a.mp3"));
    });

    it("refuses an unknown template, a missing file part and a bad preview start (400)", async () => {
      await expectRefused(400, "INVALID_INPUT", () => postUpload(url, fx.user, "video", mp3, "a.mp3"));
      await expectRefused(400, "INVALID_INPUT", () => postUpload(url, fx.user, "audio", mp3, "a.mp3", { previewStartSeconds: "-3" }));
      await expectRefused(400, "INVALID_INPUT", () => postUpload(url, fx.user, "audio", mp3, "a.mp3", { previewStartSeconds: "60" }));
      await expectRefused(400, "INVALID_INPUT", async () => {
        const form = new FormData();
        form.set("template", "audio");
        const res = await fetch(`${url}/uploads`, { method: "POST", body: form, headers: await signRequestHeaders(fx.user) });
        return { status: res.status, body: await json(res) };
      });
      await expectRefused(400, "INVALID_INPUT", async () => {
        const res = await fetch(`${url}/uploads`, { method: "POST", body: "{}", headers: { ...(await signRequestHeaders(fx.user)), "content-type": "application/json" } });
        return { status: res.status, body: await json(res) };
      });
    });

    it("refuses a file over the size limit (413)", async () => {
      const small = await startNodes(1, { maxAudioBytes: 50_000, replicationFactor: 1 });
      try {
        const before = filesOnDisk(small.dirs[0]);
        const answer = await postUpload(small.nodes[0].url, small.user, "audio", mp3, "big.mp3");
        expect(answer.status).to.equal(413);
        expect(answer.body.error.code).to.equal("PAYLOAD_TOO_LARGE");
        expect(filesOnDisk(small.dirs[0])).to.deep.equal(before);
      } finally {
        await small.close();
      }
    });

    it("keeps no partial file when the client disconnects mid-upload", async () => {
      await transcodesSettled();
      const before = filesOnDisk(dir);
      const boundary = "----asixboundary";
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="template"\r\n\r\naudio\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n`,
      );
      const u = new URL(url);
      const req = http.request({
        host: u.hostname,
        port: u.port,
        method: "POST",
        path: "/uploads",
        headers: { ...(await signRequestHeaders(fx.user)), "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(10_000_000) },
      });
      req.on("error", () => undefined);
      req.write(head);
      req.write(mp3); // ~80 KB of a 10 MB promise
      const tmpDir = path.join(dir, "tmp");
      await waitFor(() => fs.readdirSync(tmpDir).length > 0, 5000, "the temp file to appear");
      req.destroy();
      await waitFor(() => fs.readdirSync(tmpDir).length === 0, 5000, "the temp file to be removed");
      expect(filesOnDisk(dir)).to.deep.equal(before);
      // and the node still serves
      expect((await fetch(`${url}/content/${mp3Cid}`, { headers: { range: "bytes=0-0" } })).status).to.equal(206);
    });

    it("answers 400 for a malformed upload id and 404 JSON for an unknown one", async () => {
      expect((await fetch(`${url}/uploads/..%2Fx`)).status).to.equal(400);
      const res = await fetch(`${url}/uploads/0123456789abcdef0123`);
      expect(res.status).to.equal(404);
      expect((await json(res)).error.code).to.equal("NOT_FOUND");
    });
  });
});
