import { expect } from "chai";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { Wallet } from "ethers";
import sharp from "sharp";
import { signRequestHeaders } from "../../../sdk/signatures";
import { makeAudio } from "../../helpers/audio";
import { filesOnDisk, postUpload, startNodes, waitFor, waitForUpload, json, type NodeFixture } from "./fixture";

/** A multipart body as fetch would send it, as bytes, so it can go out over a raw socket. */
async function multipart(template: string, bytes: Uint8Array, filename: string) {
  const form = new FormData();
  form.set("template", template);
  form.set("files", new Blob([bytes]), filename);
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get("content-type")! };
}

/**
 * POST over a raw socket from a chosen local address. Resolves once the exchange is over, with the
 * status and body, and any error the socket gave while the request body was still being written.
 */
function rawPost(url: string, pathname: string, headers: Record<string, string>, body: Buffer, localAddress = "127.0.0.1") {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; socketError?: string }>((resolve, reject) => {
    const u = new URL(url);
    let answer: { status: number; headers: http.IncomingHttpHeaders; body: string } | undefined;
    let socketError: string | undefined;
    const req = http.request({ host: u.hostname, port: u.port, method: "POST", path: pathname, headers: { ...headers, "content-length": String(body.length) }, localAddress }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => (answer = { status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on("error", (err) => (socketError = (err as NodeJS.ErrnoException).code ?? String(err)));
    req.on("close", () => (answer ? resolve({ ...answer, socketError }) : reject(new Error(`no answer: ${socketError}`))));
    req.end(body);
  });
}

describe("content node: unsigned uploads, their limits, and changes by the uploader", function () {
  let fx: NodeFixture;
  let url: string;
  let mp3: Buffer;
  let png: Buffer;

  before(async () => {
    fx = await startNodes(1, { replicationFactor: 1 });
    url = fx.nodes[0].url;
    mp3 = fs.readFileSync(await makeAudio({ seconds: 5, format: "mp3" }));
    png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#3a7" } }).png().toBuffer();
  });
  after(() => fx.close());

  describe("POST /uploads without a signature", () => {
    it("accepts it and records X-User-Wallet-Addr as the uploader, with the analysis fields", async () => {
      const named = Wallet.createRandom().address;
      const answer = await postUpload(url, undefined, "audio", mp3, "tone.mp3", {}, { "X-User-Wallet-Addr": named.toLowerCase() });
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      expect(answer.body[0].user_wallet).to.equal(named);
      const done = await waitForUpload(url, answer.body[0].id);
      expect(done.status).to.equal("done");
      // the analysis runs after the transcode: its fields are there from the start (analysisPipeline.test.ts)
      expect(done).to.include.keys("audio_analysis_status", "audio_analysis_results", "audio_analysis_error_count");
      expect(done.audio_analysis_error_count).to.be.a("number");
    });

    it("accepts it with no uploader named, or an empty X-User-Wallet-Addr", async () => {
      for (const headers of [{}, { "X-User-Wallet-Addr": "" }] as Record<string, string>[]) {
        const answer = await postUpload(url, undefined, "img_square", png, "cover.png", {}, headers);
        expect(answer.status).to.equal(200);
        expect(answer.body[0]).to.include({ status: "done", user_wallet: "" });
      }
    });

    it("refuses a malformed X-User-Wallet-Addr (400)", async () => {
      const answer = await postUpload(url, undefined, "img_square", png, "cover.png", {}, { "X-User-Wallet-Addr": "not-a-wallet" });
      expect(answer.status).to.equal(400);
      expect(answer.body.error.code).to.equal("INVALID_INPUT");
    });

    it("attributes a signed upload to its signer, whatever X-User-Wallet-Addr says", async () => {
      const answer = await postUpload(url, fx.user, "img_square", png, "cover.png", {}, { "X-User-Wallet-Addr": Wallet.createRandom().address });
      expect(answer.status).to.equal(200);
      expect(answer.body[0].user_wallet).to.equal(fx.user.address);
    });
  });

  describe("POST /uploads/:id (a new preview start)", () => {
    let id: string;
    before(async () => {
      const answer = await postUpload(url, undefined, "audio", mp3, "mine.mp3", {}, { "X-User-Wallet-Addr": fx.user.address });
      id = answer.body[0].id;
      expect((await waitForUpload(url, id)).status).to.equal("done");
    });

    const change = async (headers: Record<string, string>, previewStartSeconds: unknown = 2) => {
      const res = await fetch(`${url}/uploads/${id}`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ previewStartSeconds }),
      });
      return { status: res.status, body: await json(res) };
    };

    it("refuses a change without a signature (401)", async () => {
      const answer = await change({});
      expect(answer.status).to.equal(401);
      expect(answer.body.error.code).to.equal("UNAUTHORIZED");
    });

    it("refuses a change signed by someone else (401)", async () => {
      const answer = await change(await signRequestHeaders(Wallet.createRandom()));
      expect(answer.status).to.equal(401);
      expect(answer.body.error.code).to.equal("UNAUTHORIZED");
    });

    it("lets the uploader move the preview, and refuses the same signed headers a second time", async () => {
      const headers = await signRequestHeaders(fx.user);
      const answer = await change(headers);
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      const done = await waitForUpload(url, id);
      expect(done.status).to.equal("done");
      expect(done.results).to.have.keys("320", "320_preview|2");
      const replay = await change(headers, 1);
      expect(replay.status).to.equal(401);
      expect((await json(await fetch(`${url}/uploads/${id}`))).results).to.have.keys("320", "320_preview|2");
    });
  });

  describe("abuse limits", () => {
    let small: NodeFixture;
    before(async () => {
      small = await startNodes(1, { replicationFactor: 1, uploadLimits: { perIpPerMinute: 4, perIpConcurrent: 1, maxAudioSeconds: 2 } });
    });
    after(() => small.close());

    it("caps uploads in flight, duration, and uploads per minute per address, with JSON 429 and 413", async () => {
      const node = small.nodes[0].url;
      const tmpDir = path.join(small.dirs[0], "tmp");
      // 1: one upload held open...
      const head = await multipart("audio", mp3, "slow.mp3");
      const u = new URL(node);
      const slow = http.request({ host: u.hostname, port: u.port, method: "POST", path: "/uploads", headers: { "content-type": head.contentType, "content-length": String(10_000_000) } });
      slow.on("error", () => undefined);
      slow.write(head.body.subarray(0, head.body.length - 100));
      await waitFor(() => fs.readdirSync(tmpDir).length > 0, 5000, "the held upload to start");
      // ...so a second at the same time is refused
      const concurrent = await postUpload(node, undefined, "img_square", png, "c.png");
      expect(concurrent.status).to.equal(429);
      expect(concurrent.body.error).to.include({ code: "RATE_LIMITED" });
      slow.destroy();
      await waitFor(() => fs.readdirSync(tmpDir).length === 0, 5000, "the held upload to be dropped");
      // 2: audio longer than the cap
      const long = await postUpload(node, undefined, "audio", mp3, "long.mp3");
      expect(long.status).to.equal(413);
      expect(long.body.error.code).to.equal("PAYLOAD_TOO_LARGE");
      expect(filesOnDisk(small.dirs[0])).to.deep.equal([]);
      // 3, 4: within the rate; 5: past it
      for (let i = 0; i < 2; i++) expect((await postUpload(node, undefined, "img_square", png, "ok.png")).status).to.equal(200);
      const form = await multipart("img_square", png, "late.png");
      const limited = await rawPost(node, "/uploads", { "content-type": form.contentType }, form.body);
      expect(limited.status).to.equal(429);
      expect(Number(limited.headers["retry-after"])).to.be.within(1, 60);
      expect(JSON.parse(limited.body).error.code).to.equal("RATE_LIMITED");
      // another address is not held back
      const other = await rawPost(node, "/uploads", { "content-type": form.contentType }, form.body, "127.0.0.2");
      expect(other.status, other.body).to.equal(200);
    });
  });

  describe("refusals reach the client", () => {
    const junk = () => {
      const body = Buffer.alloc(50 * 1024 * 1024, 0x41);
      body.write("this is not audio");
      return body;
    };

    it("answers a 50 MB upload of an unsupported type with 415 JSON, not a reset", async () => {
      const form = await multipart("audio", junk(), "big.mp3");
      const answer = await rawPost(url, "/uploads", { "content-type": form.contentType }, form.body);
      expect(answer.status).to.equal(415);
      expect(JSON.parse(answer.body).error.code).to.equal("UNSUPPORTED_MEDIA");
      expect(answer.socketError).to.equal(undefined);
    });

    it("answers a 50 MB upload sent with Connection: close (as node-fetch does) with 415 JSON, and closes only once it is read", async () => {
      const form = await multipart("audio", junk(), "big.mp3");
      const answer = await rawPost(url, "/uploads", { "content-type": form.contentType, connection: "close" }, form.body);
      expect(answer.status).to.equal(415);
      expect(JSON.parse(answer.body).error.code).to.equal("UNSUPPORTED_MEDIA");
      expect(answer.socketError).to.equal(undefined);
    });

    for (const connection of ["keep-alive", "close"]) {
      it(`answers a 50 MB upload with a bad signature with 401 JSON, not a reset (Connection: ${connection})`, async () => {
        const form = await multipart("audio", junk(), "big.mp3");
        const headers = { ...(await signRequestHeaders(fx.user)), "x-asix-wallet": Wallet.createRandom().address, "content-type": form.contentType, connection };
        const answer = await rawPost(url, "/uploads", headers, form.body);
        expect(answer.status).to.equal(401);
        expect(JSON.parse(answer.body).error.code).to.equal("UNAUTHORIZED");
        expect(answer.socketError).to.equal(undefined);
      });
    }
  });
});
