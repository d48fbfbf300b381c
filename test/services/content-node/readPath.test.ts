import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { Wallet } from "ethers";
import { signStreamAccess } from "../../../sdk/signatures";
import { createStreamSignatureCache } from "../../../devnet/services/content-node/streamAuth";
import { makeAudio } from "../../helpers/audio";
import { postUpload, startNodes, type NodeFixture } from "./fixture";

const HOUR = 3600 * 1000;

describe("content node: the read path's caches", function () {
  this.timeout(60_000);

  describe("conditional and repeated reads", () => {
    let fx: NodeFixture;
    let url: string;
    let bytes: Buffer;
    let cid: string;
    const blobFile = () => path.join(fx.dirs[0], "blobs", cid.slice(-2), cid);

    before(async () => {
      fx = await startNodes(1, { replicationFactor: 1, repairIntervalMs: 3_600_000 });
      url = fx.nodes[0].url;
      bytes = fs.readFileSync(await makeAudio({ seconds: 3, format: "mp3" }));
      cid = (await postUpload(url, fx.user, "audio", bytes, "a.mp3")).body[0].orig_file_cid;
    });
    after(() => fx.close());

    it("answers If-None-Match on the CID with 304 and its caching headers, without opening the blob", async () => {
      const whole = await fetch(`${url}/content/${cid}`);
      expect(whole.status).to.equal(200);
      const etag = whole.headers.get("etag")!;
      expect(etag).to.equal(`"${cid}"`);
      await whole.arrayBuffer();
      // The file is moved away (its row stays): only an answer that never opens it can still be 304.
      fs.renameSync(blobFile(), `${blobFile()}.away`);
      try {
        const conditional = await fetch(`${url}/content/${cid}`, { headers: { "if-none-match": `W/"other", ${etag}` } });
        expect(conditional.status).to.equal(304);
        expect(conditional.headers.get("etag")).to.equal(etag);
        expect(conditional.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
        const other = await fetch(`${url}/content/${cid}`, { headers: { "if-none-match": '"somethingelse"' }, redirect: "manual" });
        expect(other.status, "another ETag needs the bytes, which are gone").to.equal(404);
        await other.arrayBuffer();
      } finally {
        if (fs.existsSync(`${blobFile()}.away`)) fs.renameSync(`${blobFile()}.away`, blobFile());
      }
    });

    it("stops serving a blob from its kept, checked file once that file is written in place", async () => {
      const own = fs.readFileSync(await makeAudio({ seconds: 4, format: "wav" }));
      const ownCid = (await postUpload(url, fx.user, "audio", own, "own.wav")).body[0].orig_file_cid;
      const file = path.join(fx.dirs[0], "blobs", ownCid.slice(-2), ownCid);
      const first = await fetch(`${url}/content/${ownCid}`); // every chunk checked and remembered, the file kept open
      expect(Buffer.from(await first.arrayBuffer()).equals(own)).to.equal(true);
      const fd = fs.openSync(file, "r+");
      fs.writeSync(fd, Buffer.from("tampered"), 0, 8, 1000); // same size, same inode
      fs.closeSync(fd);
      const after = await fetch(`${url}/content/${ownCid}?noredirect`, { headers: { range: "bytes=0-4095" } });
      expect(after.status, "the changed file is checked again, fails, and is taken out of service").to.equal(404);
      await after.arrayBuffer();
    });

    it("serves ranges read in large runs byte for byte, on first and repeated reads", async () => {
      const big = fs.readFileSync(await makeAudio({ seconds: 90, format: "wav" }));
      const bigCid = (await postUpload(url, fx.user, "audio", big, "big.wav")).body[0].orig_file_cid;
      // a range across chunk boundaries, asked three times (checked chunks, then remembered ones in one read)
      for (let i = 0; i < 3; i++) {
        const start = 100_000 + i * 7;
        const end = start + 3 * 1024 * 1024 - 1;
        const res = await fetch(`${url}/content/${bigCid}`, { headers: { range: `bytes=${start}-${end}` } });
        expect(res.status).to.equal(206);
        expect(Buffer.from(await res.arrayBuffer()).equals(big.subarray(start, end + 1)), `read ${i}`).to.equal(true);
      }
      // concurrent whole reads share the pooled buffers: each must still get its own bytes
      const wholes = await Promise.all(Array.from({ length: 6 }, () => fetch(`${url}/content/${bigCid}`).then(async (r) => Buffer.from(await r.arrayBuffer()))));
      for (const w of wholes) expect(w.equals(big)).to.equal(true);
    });
  });

  describe("stream signature cache", () => {
    const discovery = Wallet.createRandom();
    const cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";

    it("verifies a repeated signature once and hands back the same result", async () => {
      const cache = createStreamSignatureCache();
      const now = Date.now();
      const signature = await signStreamAccess(discovery, { cid, timestamp: now });
      const first = cache.verify(signature, cid, [discovery.address], now);
      expect(cache.verify(signature, cid, [discovery.address], now + 1000)).to.equal(first);
      expect(cache.size).to.equal(1);
    });

    it("does not accept a cached signature once it has expired", async () => {
      const cache = createStreamSignatureCache();
      const now = Date.now();
      const signature = await signStreamAccess(discovery, { cid, timestamp: now, expiresAt: now + HOUR });
      cache.verify(signature, cid, [discovery.address], now);
      expect(() => cache.verify(signature, cid, [discovery.address], now + HOUR + 1)).to.throw(/expired/);
      // nor one older than the 48 h limit, whatever its expiresAt says
      const long = await signStreamAccess(discovery, { cid, timestamp: now, expiresAt: now + 100 * HOUR });
      cache.verify(long, cid, [discovery.address], now);
      expect(() => cache.verify(long, cid, [discovery.address], now + 49 * HOUR)).to.throw(/expired/);
    });

    it("refuses a cached signature once its signer is no longer a registered discovery node", async () => {
      const cache = createStreamSignatureCache();
      const now = Date.now();
      const signature = await signStreamAccess(discovery, { cid, timestamp: now });
      cache.verify(signature, cid, [discovery.address], now);
      expect(() => cache.verify(signature, cid, [Wallet.createRandom().address], now)).to.throw(/registered discovery node/);
    });

    it("does not let a signature cached for one CID open another", async () => {
      const cache = createStreamSignatureCache();
      const now = Date.now();
      const signature = await signStreamAccess(discovery, { cid, timestamp: now });
      cache.verify(signature, cid, [discovery.address], now);
      const other = "bafkreidgvpkjawlxz6sffxzwgooowe5yt7i6wsyg236mfoks77nywkptdq";
      expect(() => cache.verify(signature, other, [discovery.address], now)).to.throw(/another CID/);
    });

    it("keeps at most its size, dropping the oldest", async () => {
      const cache = createStreamSignatureCache(2);
      const now = Date.now();
      for (let i = 0; i < 3; i++) cache.verify(await signStreamAccess(discovery, { cid, timestamp: now - i }), cid, [discovery.address], now);
      expect(cache.size).to.equal(2);
    });
  });
});
