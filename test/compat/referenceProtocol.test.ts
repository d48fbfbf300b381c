import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Wallet, isAddress } from "ethers";
import sharp from "sharp";
import type { Devnet } from "../../devnet";
import { healthSigner } from "../../sdk/protocol/health";
import { signRequestHeaders } from "../../sdk/signatures";
import { makeAudio } from "../helpers/audio";
import { startTestDevnet } from "../helpers/devnet";
import { probe } from "../services/content-node/fixture";
import {
  contentNodeIsHealthy,
  getJson,
  judgeDiscoveryHealth,
  pollUpload,
  postClosing,
  referenceUpload,
  relayAction,
  unclaimedId,
  type DataChain,
  type Json,
} from "./referenceClient";

/** Uploads one address may start per minute on each content node of this devnet. */
const UPLOADS_PER_MINUTE = 12;

/**
 * PROTOCOL.md §8, fact by fact, against a devnet: what a client written for the reference protocol
 * needs from discovery and content nodes, done the way such a client does it.
 */
describe("compat: a reference-protocol client against an Asix+ devnet", function () {
  let devnet: Devnet;
  let discovery: string;
  let chain: DataChain;
  let tone: Buffer;
  let png: Buffer;

  before(async () => {
    devnet = await startTestDevnet({ uploadLimits: { perIpPerMinute: UPLOADS_PER_MINUTE } });
    discovery = devnet.services.discovery[0];
    chain = { chainId: devnet.dataChain.chainId, entityManager: devnet.dataChain.contracts.entityManager };
    tone = fs.readFileSync(await makeAudio({ seconds: 6, format: "mp3" }));
    png = await sharp({ create: { width: 1200, height: 1200, channels: 3, background: "#5a3" } }).png().toBuffer();
  });
  after(() => devnet?.stop());

  describe("discovery node selection", () => {
    it("is accepted as healthy by §8's selection rules, with a protocol version of at least 0.7.0", async () => {
      const { status, body } = await getJson(`${discovery}/health_check`);
      expect(judgeDiscoveryHealth(status, body)).to.deep.equal({ verdict: "healthy", reason: "all rules hold" });
      expect(body.data.version).to.equal("0.7.0");
    });

    it("the selection rules written out here keep an old version as behind and reject a bad one", async () => {
      const { status, body } = await getJson(`${discovery}/health_check`);
      const withVersion = (version: unknown) => ({ ...body, data: { ...body.data, version } });
      expect(judgeDiscoveryHealth(status, withVersion("0.1.0")).verdict).to.equal("behind");
      expect(judgeDiscoveryHealth(status, withVersion("1.0")).verdict).to.equal("rejected");
      expect(judgeDiscoveryHealth(status, { ...body, data: { ...body.data, block_difference: 16 } }).verdict).to.equal("rejected");
      expect(judgeDiscoveryHealth(status, { data: body.data }).verdict).to.equal("rejected");
    });

    it("lists the registered content nodes as objects a reference selector can rank", async () => {
      const { body } = await getJson(`${discovery}/health_check`);
      const listed: Json[] = body.data.network.content_nodes;
      expect(listed.map((n) => n.endpoint.toLowerCase()).sort()).to.deep.equal(devnet.services.contentNodes.map((u) => u.toLowerCase()).sort());
      for (const node of listed) {
        expect(node).to.have.keys("endpoint", "delegateOwnerWallet", "owner", "spID", "type");
        expect(isAddress(node.delegateOwnerWallet) && isAddress(node.owner)).to.equal(true);
        expect(node.spID).to.be.a("number").greaterThan(0);
        expect(node.type).to.equal("content-node");
        // the registry's delegate wallet is the wallet that signs that node's health
        const health = await getJson(`${node.endpoint}/health_check`);
        expect(health.body.signer).to.equal(node.delegateOwnerWallet);
      }
    });

    it("lists discovery nodes with their owner wallet", async () => {
      const { body } = await getJson(`${discovery}/health_check`);
      const [self] = body.data.network.discovery_nodes_with_owner;
      expect(self).to.have.keys("endpoint", "delegateOwnerWallet", "ownerWallet");
      expect(self.endpoint).to.equal(discovery);
      expect(self.delegateOwnerWallet).to.equal(body.signer);
      expect(isAddress(self.ownerWallet)).to.equal(true);
    });
  });

  describe("content node selection and health envelopes", () => {
    it("finds every listed content node healthy: it answers within 3 s with diskHasSpace true", async () => {
      const { body } = await getJson(`${discovery}/health_check`);
      for (const node of body.data.network.content_nodes) expect(await contentNodeIsHealthy(node.endpoint), node.endpoint).to.equal(true);
    });

    it("signs every service's /health_check in the same envelope, with the protocol version", async () => {
      const urls = [discovery, devnet.services.identity, ...devnet.services.contentNodes];
      const services = [];
      for (const url of urls) {
        const { status, body } = await getJson(`${url}/health_check`);
        expect(status).to.equal(200);
        expect(body).to.include.keys("data", "signer", "signature", "timestamp");
        expect(body.data.version).to.equal("0.7.0");
        expect(healthSigner(body), url).to.equal(body.signer);
        services.push(body.data.service);
      }
      expect(services).to.deep.equal(["discovery-node", "identity-service", "content-node", "content-node", "content-node"]);
    });
  });

  describe("uploads and writes", () => {
    const artist = Wallet.createRandom();
    let node: string;
    let audio: Json;
    let image: Json;

    before(async () => {
      node = devnet.services.contentNodes[0];
    });

    it("uploads audio without a signature, naming the uploader, and polls it to a playable 320 kbps track", async () => {
      const answer = await referenceUpload(node, "audio", tone, "tone.mp3", { previewStartSeconds: 1, userWallet: artist.address });
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      expect(answer.body).to.be.an("array").with.length(1);
      audio = await pollUpload(node, answer.body[0].id);
      expect(audio.user_wallet).to.equal(artist.address);
      expect(audio.orig_filename).to.equal("tone.mp3");
      expect(audio.orig_file_cid).to.match(/^Qm/);
      expect(audio.probe.format.duration).to.be.a("string");
      expect(Number(audio.probe.format.duration)).to.be.closeTo(6, 0.2);
      // the reference's analysis fields, filled in after the transcode (test/e2e/analysis.test.ts)
      expect(audio).to.include.keys("audio_analysis_status", "audio_analysis_results", "audio_analysis_error_count");
      expect(audio.audio_analysis_error_count).to.be.a("number");
      expect(audio.results).to.have.keys("320", "320_preview|1");
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "asix-compat-")), "320.mp3");
      const res = await fetch(`${node}/content/${audio.results["320"]}`);
      expect(res.status).to.equal(200);
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const facts = await probe(file);
      expect(facts).to.include({ codec: "mp3", sampleRate: 48000, kbps: 320 });
      expect(facts.duration).to.be.closeTo(6, 0.2);
    });

    it("uploads an image without a signature and gets its square variants", async () => {
      const answer = await referenceUpload(node, "img_square", png, "cover.png");
      expect(answer.status).to.equal(200);
      image = await pollUpload(node, answer.body[0].id);
      expect(image.results).to.have.keys("150x150.jpg", "480x480.jpg", "1000x1000.jpg");
      const res = await fetch(`${node}/content/${image.id}/150x150.jpg`);
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.equal("image/jpeg");
      expect(await sharp(Buffer.from(await res.arrayBuffer())).metadata()).to.include({ width: 150, height: 150 });
    });

    it("attributes a signed upload to its signer", async () => {
      const signer = Wallet.createRandom();
      const answer = await referenceUpload(devnet.services.contentNodes[1], "img_square", png, "signed.png", { headers: await signRequestHeaders(signer) });
      expect(answer.status).to.equal(200);
      expect(answer.body[0].user_wallet).to.equal(signer.address);
    });

    it("refuses a change to an upload without the uploader's signature (401)", async () => {
      const form = new URLSearchParams({ previewStartSeconds: "2" });
      const { status, body } = await getJson(`${node}/uploads/${audio.id}`, { method: "POST", body: form });
      expect(status).to.equal(401);
      expect(body.error.code).to.equal("UNAUTHORIZED");
      expect((await getJson(`${node}/uploads/${audio.id}`)).body.results).to.have.keys("320", "320_preview|1");
    });

    it("refuses a 50 MB upload of an unsupported type early, and the client reads the status and JSON error", async () => {
      const junk = Buffer.alloc(50 * 1024 * 1024, 0x20);
      junk.write("<html>this is not audio</html>");
      const answer = await referenceUpload(devnet.services.contentNodes[2], "audio", junk, "big.mp3");
      expect(answer.status).to.equal(415);
      expect(answer.body.error.code).to.equal("UNSUPPORTED_MEDIA");
    });

    it("gets the status and JSON error for a refused 50 MB body from every service, also with Connection: close", async () => {
      const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
      big.write('{"x":"');
      for (const url of [`${discovery}/relay`, `${devnet.services.identity}/relay`]) {
        const answer = await postClosing(url, { "content-type": "application/json" }, big);
        expect(answer.status, url).to.equal(413);
        expect(answer.body.error.code).to.equal("PAYLOAD_TOO_LARGE");
        expect(answer.socketError, url).to.equal(undefined);
      }
      const form = new FormData();
      form.set("template", "audio");
      form.set("files", new Blob([big]), "big.mp3");
      const encoded = new Response(form);
      const upload = await postClosing(`${devnet.services.contentNodes[2]}/uploads`, { "content-type": encoded.headers.get("content-type")! }, Buffer.from(await encoded.arrayBuffer()));
      expect(upload.status).to.equal(415);
      expect(upload.body.error.code).to.equal("UNSUPPORTED_MEDIA");
      expect(upload.socketError).to.equal(undefined);
    });

    it("writes a user and a track through the discovery node's /relay, confirmed by /block_confirmation", async () => {
      const user = await unclaimedId(discovery, "users");
      const handle = `compat_${user.id}`;
      const data = { handle, name: "Compat Artist", bio: "", location: "", profile_picture_sizes: image.id, cover_photo_sizes: "", wallet: artist.address };
      await relayAction(discovery, chain, artist, { userId: user.id, entityType: "User", entityId: user.id, action: "Create", metadata: JSON.stringify({ cid: "", data }) });
      const created = await getJson(`${discovery}/v1/users/handle/${handle}`);
      expect(created.status).to.equal(200);
      expect(created.body.data).to.include({ id: user.hashid, handle, wallet: artist.address.toLowerCase() });

      const track = await unclaimedId(discovery, "tracks");
      const trackData = {
        owner_id: Number(user.id),
        title: "Compat Tone",
        genre: "Electronic",
        mood: "",
        tags: "",
        description: "",
        track_cid: audio.results["320"],
        preview_cid: audio.results["320_preview|1"],
        orig_file_cid: audio.orig_file_cid,
        orig_filename: audio.orig_filename,
        audio_upload_id: audio.id,
        cover_art_sizes: image.id,
        duration: Math.round(Number(audio.probe.format.duration)),
        release_date: new Date().toISOString(),
        is_downloadable: false,
      };
      await relayAction(discovery, chain, artist, { userId: user.id, entityType: "Track", entityId: track.id, action: "Create", metadata: JSON.stringify({ cid: "", data: trackData }) });
      const read = await getJson(`${discovery}/v1/tracks/${track.hashid}`);
      expect(read.status).to.equal(200);
      expect(read.body.data).to.include({ title: "Compat Tone", track_cid: audio.results["320"] });
      const stream = await fetch(`${discovery}/v1/tracks/${track.hashid}/stream`);
      expect(stream.status).to.equal(200);
      const original = await fetch(`${node}/content/${audio.results["320"]}`);
      expect(Buffer.from(await stream.arrayBuffer()).equals(Buffer.from(await original.arrayBuffer()))).to.equal(true);
    });

    it("answers an unsigned upload past the rate limit with 429 and a JSON error", async () => {
      const target = devnet.services.contentNodes[1];
      let limited: { status: number; body: Json; headers: Headers } | undefined;
      for (let i = 0; i <= UPLOADS_PER_MINUTE && !limited; i++) {
        const answer = await referenceUpload(target, "img_square", png, `burst-${i}.png`);
        if (answer.status === 429) limited = answer;
        else expect(answer.status).to.equal(200);
      }
      expect(limited, `no 429 within ${UPLOADS_PER_MINUTE + 1} uploads`).to.not.equal(undefined);
      expect(limited!.headers.get("content-type")).to.match(/^application\/json/);
      expect(limited!.body.error.code).to.equal("RATE_LIMITED");
      expect(Number(limited!.headers.get("retry-after"))).to.be.within(1, 60);
    });
  });
});
