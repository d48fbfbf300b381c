import { expect } from "chai";
import fs from "node:fs";
import type { Devnet } from "../../../devnet";
import { createAsix } from "../../../sdk";
import { startTestDevnet } from "../../helpers/devnet";
import { makeAudio } from "../../helpers/audio";
import { blockMatches, ipld, verifiedFile } from "./ipfsVerify";

/**
 * `/ipfs/:cid` as an IPFS Trustless Gateway, checked only with standard IPFS libraries: @ipld/car
 * reads the CAR, every block is hashed against its CID, and ipfs-unixfs-exporter reassembles the
 * file from those verified blocks alone.
 */

describe("content node: IPFS Trustless Gateway on /ipfs/:cid", function () {
  // The devnet takes most of it (two chains, the contracts, the services): ~20 s on a loaded machine.
  this.timeout(120_000);
  let devnet: Devnet;
  let node: string;
  let original: Buffer;
  let origFileCid: string;
  let trackCid: string;

  before(async () => {
    devnet = await startTestDevnet({ contentNodes: 1, replicationFactor: 1 });
    node = devnet.contentNode(0).url;
    const artist = createAsix({ network: devnet, wallet: devnet.accounts[15].privateKey });
    await artist.users.create({ handle: "ipfsartist" });
    // 8 s of WAV is three 256 KiB leaves; its 320 kbps rendition two: both multi-block DAGs.
    const file = await makeAudio({ seconds: 8, format: "wav" });
    original = fs.readFileSync(file);
    const uploaded = await artist.tracks.upload(file, { title: "On IPFS" });
    origFileCid = uploaded.origFileCid;
    trackCid = uploaded.trackCid;
  });
  after(async () => {
    await devnet?.stop();
  });

  const car = async (cid: string, init: RequestInit = {}, query = "?format=car") => {
    const res = await fetch(`${node}/ipfs/${cid}${query}`, init);
    return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
  };

  it("serves an uploaded track as a CAR that @ipld/car and ipfs-unixfs-exporter verify and reassemble into the same bytes", async () => {
    const { res, bytes } = await car(origFileCid);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.equal("application/vnd.ipld.car; version=1; order=dfs; dups=n");
    expect(res.headers.get("cache-control")).to.contain("immutable");
    expect(res.headers.get("etag")).to.match(new RegExp(`^"${origFileCid}\\.car\\.`));
    expect(res.headers.get("content-disposition")).to.equal(`attachment; filename="${origFileCid}.car"`);
    const file = await verifiedFile(bytes, origFileCid);
    expect(file.blocks).to.have.length(4); // the root and three leaves, root first (depth-first)
    expect(file.blocks[0]).to.equal(origFileCid);
    expect(file.bytes.equals(original)).to.equal(true);

    const rendition = await car(trackCid);
    const plain = Buffer.from(await (await fetch(`${node}/ipfs/${trackCid}`)).arrayBuffer());
    const track = await verifiedFile(rendition.bytes, trackCid);
    expect(track.blocks.length).to.be.greaterThan(1);
    expect(track.bytes.equals(plain)).to.equal(true);
  });

  it("rejects a CAR with one byte flipped in a block, with the same verifying code", async () => {
    const { CarIndexer } = await ipld();
    const { bytes } = await car(origFileCid);
    const index = [];
    for await (const entry of await CarIndexer.fromBytes(bytes)) index.push(entry);
    for (const target of [index[0], index[2]]) {
      const tampered = bytes.slice();
      tampered[target.blockOffset + Math.floor(target.blockLength / 2)] ^= 0x01;
      let refused: unknown;
      await verifiedFile(tampered, origFileCid).catch((err) => (refused = err));
      expect(String(refused)).to.contain(`block ${target.cid} does not match its CID`);
    }
    expect((await verifiedFile(bytes, origFileCid)).bytes.equals(original)).to.equal(true);
  });

  it("serves every block of the DAG by ?format=raw and by Accept, each hashing to its CID", async () => {
    const { CID } = await ipld();
    const { blocks } = await verifiedFile((await car(origFileCid)).bytes, origFileCid);
    for (const text of blocks) {
      const cid = CID.parse(text);
      const res = await fetch(`${node}/ipfs/${text}?format=raw`);
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.equal("application/vnd.ipld.raw");
      expect(res.headers.get("etag")).to.equal(`"${text}.raw"`);
      expect(res.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
      expect(res.headers.get("x-content-type-options")).to.equal("nosniff");
      const body = new Uint8Array(await res.arrayBuffer());
      expect(Number(res.headers.get("content-length"))).to.equal(body.length);
      expect(blockMatches(cid, body)).to.equal(true);
      // The same block under its CIDv1, asked for by Accept only.
      const v1 = cid.toV1().toString();
      const byAccept = await fetch(`${node}/ipfs/${v1}`, { headers: { accept: "application/vnd.ipld.raw" } });
      expect(byAccept.status).to.equal(200);
      expect(byAccept.headers.get("vary")).to.match(/accept/i);
      expect(byAccept.headers.get("content-location")).to.equal(`/ipfs/${v1}?format=raw`);
      expect(Buffer.from(await byAccept.arrayBuffer()).equals(Buffer.from(body))).to.equal(true);
    }
  });

  it("negotiates a CAR by Accept (IPIP-412 params) and honours dups and dag-scope", async () => {
    const byQuery = await car(origFileCid);
    const byAccept = await car(origFileCid, { headers: { accept: "application/vnd.ipld.car; version=1; order=dfs" } }, "");
    expect(byAccept.res.status).to.equal(200);
    expect(Buffer.from(byAccept.bytes).equals(Buffer.from(byQuery.bytes))).to.equal(true);
    const dupsY = await car(origFileCid, {}, "?format=car&car-dups=y");
    expect(dupsY.res.headers.get("content-type")).to.equal("application/vnd.ipld.car; version=1; order=dfs; dups=y");
    const scopeBlock = await car(origFileCid, {}, "?format=car&dag-scope=block");
    const { CarReader } = await ipld();
    const only = [];
    for await (const block of (await CarReader.fromBytes(scopeBlock.bytes)).blocks()) only.push(block);
    expect(only.map((b) => b.cid.toString())).to.deep.equal([origFileCid]);
  });

  it("answers a conditional request with the block's ETag with 304, and HEAD without a body", async () => {
    const raw = await fetch(`${node}/ipfs/${origFileCid}?format=raw`, { headers: { "if-none-match": `"${origFileCid}.raw"` } });
    expect(raw.status).to.equal(304);
    const head = await fetch(`${node}/ipfs/${origFileCid}?format=raw`, { method: "HEAD" });
    expect(head.status).to.equal(200);
    expect(Number(head.headers.get("content-length"))).to.be.greaterThan(0);
  });

  it("keeps serving the plain blob at /ipfs/:cid, varying on Accept", async () => {
    const res = await fetch(`${node}/ipfs/${origFileCid}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get("vary")).to.match(/accept/i);
    expect(Buffer.from(await res.arrayBuffer()).equals(original)).to.equal(true);
  });

  it("answers the bafkqaaa probe with an empty block and a CAR rooted at it", async () => {
    const raw = await fetch(`${node}/ipfs/bafkqaaa?format=raw`);
    expect(raw.status).to.equal(200);
    expect((await raw.arrayBuffer()).byteLength).to.equal(0);
    const { res, bytes } = await car("bafkqaaa");
    expect(res.status).to.equal(200);
    const { CarReader } = await ipld();
    expect((await (await CarReader.fromBytes(bytes)).getRoots()).map(String)).to.deep.equal(["bafkqaaa"]);
  });

  it("answers 404 JSON for a CID it does not hold, in raw and CAR", async () => {
    const { CID } = await ipld();
    const { sha256: hasher } = await import("multiformats/hashes/sha2");
    const unknown = CID.createV0(await hasher.digest(new TextEncoder().encode("never uploaded"))).toString();
    for (const query of ["?format=raw", "?format=car"]) {
      const res = await fetch(`${node}/ipfs/${unknown}${query}`);
      expect(res.status).to.equal(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal("NOT_FOUND");
    }
  });

  const unsupported: [string, string, Record<string, string>][] = [
    ["an unknown format", "?format=tar", {}],
    ["CAR version 2", "?format=car&car-version=2", {}],
    ["CAR version 2 by Accept", "", { accept: "application/vnd.ipld.car; version=2" }],
    ["an unknown CAR order", "?format=car&car-order=bfs", {}],
    ["entity-bytes", "?format=car&entity-bytes=0:10", {}],
    ["an unknown dag-scope", "?format=car&dag-scope=everything", {}],
    ["a malformed CID", "?format=raw", {}],
  ];
  for (const [what, query, headers] of unsupported) {
    it(`refuses ${what} with 400 JSON`, async () => {
      const cid = what === "a malformed CID" ? "Qmnot-a-cid" : origFileCid;
      const res = await fetch(`${node}/ipfs/${cid}${query}`, { headers });
      expect(res.status).to.equal(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal("INVALID_INPUT");
    });
  }
});
