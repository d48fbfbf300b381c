import { expect } from "chai";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import Database from "better-sqlite3";
import { CONTENT_NODE_DB_FILE } from "../../../devnet/services/content-node";
import { cidOfBytes } from "../../../sdk/cid";
import { replicaSet } from "../../../sdk/rendezvous";
import { signPeerRequest } from "../../../sdk/signatures";
import { startNodes, type NodeFixture } from "./fixture";
import { blockMatches, ipld, verifiedFile } from "./ipfsVerify";

const K = 262144;

/** The CIDs of every block `ipfs add` (ipfs-unixfs-importer, its defaults) makes for these bytes. */
async function importerBlocks(bytes: Uint8Array): Promise<Set<string>> {
  const [{ importer }, { fixedSize }, { balanced }] = await Promise.all([
    import("ipfs-unixfs-importer"),
    import("ipfs-unixfs-importer/chunker"),
    import("ipfs-unixfs-importer/layout"),
  ]);
  const blocks = new Set<string>();
  const blockstore = { put: async (cid: { toString(): string }) => (blocks.add(cid.toString()), cid) };
  for await (const _ of importer([{ content: [bytes] }], blockstore as never, {
    cidVersion: 0,
    rawLeaves: false,
    leafType: "file",
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: K }),
    layout: balanced({ maxChildrenPerNode: 174 }),
  }));
  return blocks;
}

describe("content node: trustless gateway on a two-level DAG with repeated leaves", function () {
  this.timeout(60_000);
  let fx: NodeFixture;
  let url: string;
  let bytes: Buffer;
  let cid: string;

  before(async () => {
    fx = await startNodes(1, { replicationFactor: 1 });
    url = fx.nodes[0].url;
    // 176 leaves: past the 174 links of one node, so a root over two parents. Leaves 10..19 are
    // the same zero chunk. A WAV header makes the node take it as audio.
    bytes = randomBytes(175 * K + 4321);
    bytes.write("RIFF", 0, "ascii");
    bytes.write("WAVE", 8, "ascii");
    bytes.fill(0, 10 * K, 20 * K);
    cid = await cidOfBytes(bytes);
    const target = `${url}/internal/blobs/${cid}`;
    const res = await fetch(target, { method: "PUT", headers: await signPeerRequest(fx.wallets[0], "PUT", target), body: bytes });
    expect(res.status, await res.text()).to.be.within(200, 299);
  });
  after(() => fx?.close());

  const car = async (query: string) => new Uint8Array(await (await fetch(`${url}/ipfs/${cid}${query}`)).arrayBuffer());

  it("streams it as a CAR holding exactly the blocks ipfs-unixfs-importer makes, each once, rebuilt to the same bytes", async () => {
    const file = await verifiedFile(await car("?format=car"), cid);
    expect(file.bytes.equals(bytes)).to.equal(true);
    expect(new Set(file.blocks).size).to.equal(file.blocks.length);
    // root, two parents, 176 leaves of which ten are one
    expect(file.blocks).to.have.length(1 + 2 + 176 - 9);
    expect(new Set(file.blocks)).to.deep.equal(await importerBlocks(bytes));
  });

  it("sends a repeated leaf every time it occurs with car-dups=y", async () => {
    const file = await verifiedFile(await car("?format=car&car-dups=y"), cid);
    expect(file.blocks).to.have.length(1 + 2 + 176);
    expect(file.bytes.equals(bytes)).to.equal(true);
  });

  it("serves an inner parent, the CAR of its subtree, and the last leaf by themselves", async () => {
    const { CID } = await ipld();
    const { decode } = await import("@ipld/dag-pb");
    // Walk down as a client would: the root's links name the two parents, the second's last link the last leaf.
    const raw = async (block: string) => {
      const res = await fetch(`${url}/ipfs/${block}?format=raw`);
      expect(res.status).to.equal(200);
      const body = new Uint8Array(await res.arrayBuffer());
      expect(blockMatches(CID.parse(block), body)).to.equal(true);
      return decode(body);
    };
    const root = await raw(cid);
    expect(root.Links).to.have.length(2);
    const [first, second] = root.Links.map((l) => l.Hash.toString());
    const lastLeaf = (await raw(second)).Links.at(-1)!.Hash.toString();
    expect((await raw(lastLeaf)).Links).to.have.length(0);
    // The first parent holds the first 174 leaves.
    const sub = await verifiedFile(new Uint8Array(await (await fetch(`${url}/ipfs/${first}?format=car`)).arrayBuffer()), first);
    expect(sub.bytes.equals(bytes.subarray(0, 174 * K))).to.equal(true);
  });

  it("stops reading the blob when a client drops a CAR mid-way, and serves the next one whole", async () => {
    const aborted = new AbortController();
    const res = await fetch(`${url}/ipfs/${cid}?format=car`, { signal: aborted.signal });
    const body = res.body!.getReader();
    await body.read();
    aborted.abort();
    await body.read().catch(() => undefined);
    const file = await verifiedFile(await car("?format=car"), cid);
    expect(file.bytes.equals(bytes)).to.equal(true);
  });

  it("never sends a leaf whose bytes changed on disk: the CAR is cut short and the blob is then gone", async () => {
    const file = path.join(fx.dirs[0], "blobs", cid.slice(-2), cid);
    const fd = fs.openSync(file, "r+");
    fs.writeSync(fd, Buffer.from([bytes[100 * K + 5] ^ 0xff]), 0, 1, 100 * K + 5);
    fs.closeSync(fd);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const res = await fetch(`${url}/ipfs/${cid}?format=car`);
    expect(res.status).to.equal(200); // the root block is sound: the CAR starts
    const outcome = await res.arrayBuffer().then(
      (got) => verifiedFile(new Uint8Array(got), cid).then(() => "verified", (err: Error) => `refused: ${err.message}`),
      (err: Error) => `cut: ${err.message}`,
    );
    expect(outcome).to.match(/^(cut|refused)/);
    // Quarantined, and this node has no peer to redirect to.
    expect((await fetch(`${url}/ipfs/${cid}?format=raw`)).status).to.equal(404);
  });

  it("indexes the blocks of blobs stored before the block index existed when the node opens its database", async () => {
    const { CID } = await ipld();
    const { decode } = await import("@ipld/dag-pb");
    const small = Buffer.concat([bytes.subarray(0, 2 * K), randomBytes(1000)]);
    const smallCid = await cidOfBytes(small);
    const target = `${url}/internal/blobs/${smallCid}`;
    expect((await fetch(target, { method: "PUT", headers: await signPeerRequest(fx.wallets[0], "PUT", target), body: small })).status).to.be.within(200, 299);
    const root = decode(new Uint8Array(await (await fetch(`${url}/ipfs/${smallCid}?format=raw`)).arrayBuffer()));
    const leaf = root.Links[2].Hash.toString();
    await fx.stopNode(0);
    const db = new Database(path.join(fx.dirs[0], CONTENT_NODE_DB_FILE));
    let indexed: number;
    try {
      indexed = (db.prepare("SELECT COUNT(*) AS n FROM ipfs_blocks WHERE blob_cid = ?").get(smallCid) as { n: number }).n;
      db.prepare("DELETE FROM ipfs_blocks").run();
    } finally {
      db.close();
      await fx.restartNode(0);
    }
    expect(indexed).to.equal(4); // one row per block: the root and three leaves
    // A new connection: fetch's pool may still hold a socket the stopped node closed.
    const { status, body } = await new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      http.get(`${url}/ipfs/${leaf}?format=raw`, { agent: false }, (res) => {
        const parts: Buffer[] = [];
        res.on("data", (p: Buffer) => parts.push(p)).on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(parts) })).on("error", reject);
      }).on("error", reject);
    });
    expect(status).to.equal(200);
    expect(blockMatches(CID.parse(leaf), body)).to.equal(true);
  });
});

describe("content node: trustless gateway on a node that lacks the blob", function () {
  this.timeout(60_000);
  let fx: NodeFixture;
  after(() => fx?.close());

  it("redirects a CAR or block request for a blob it lacks to the peer that holds it, and 404s a block no one holds", async () => {
    fx = await startNodes(2, { replicationFactor: 1 });
    const bytes = Buffer.concat([Buffer.from("RIFF\0\0\0\0WAVE"), randomBytes(K + 99)]);
    const cid = await cidOfBytes(bytes);
    const [owner] = replicaSet(fx.peers, cid, 1);
    const other = fx.peers.find((p) => p !== owner)!;
    const target = `${owner}/internal/blobs/${cid}`;
    expect((await fetch(target, { method: "PUT", headers: await signPeerRequest(fx.wallets[fx.peers.indexOf(owner)], "PUT", target), body: bytes })).status).to.be.within(200, 299);
    const hop = await fetch(`${other}/ipfs/${cid}?format=car`, { redirect: "manual" });
    expect(hop.status).to.equal(302);
    expect(new URL(hop.headers.get("location")!).origin).to.equal(new URL(owner).origin);
    const followed = await fetch(`${other}/ipfs/${cid}`, { headers: { accept: "application/vnd.ipld.car" } });
    expect(followed.status).to.equal(200);
    expect((await verifiedFile(new Uint8Array(await followed.arrayBuffer()), cid)).bytes.equals(bytes)).to.equal(true);
    const { CID } = await ipld();
    const v1 = CID.parse(cid).toV1().toString(); // the root under its CIDv1 is found on the peer too
    expect((await fetch(`${other}/ipfs/${v1}?format=raw`)).status).to.equal(200);
    const unknown = await cidOfBytes(randomBytes(10));
    const missing = await fetch(`${other}/ipfs/${unknown}?format=raw`);
    expect(missing.status).to.equal(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).to.equal("NOT_FOUND");
  });
});
