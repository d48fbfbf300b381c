import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { CidHasher, cidOfBytes, cidOfLeafDigests, leafDigest } from "../../sdk/cid";

// The reference implementation, used here only as an independent check of our encoder.
async function importerCid(bytes: Uint8Array): Promise<string> {
  const [{ importer }, { fixedSize }, { balanced }] = await Promise.all([
    import("ipfs-unixfs-importer"),
    import("ipfs-unixfs-importer/chunker"),
    import("ipfs-unixfs-importer/layout"),
  ]);
  const blockstore = { put: async (cid: unknown) => cid };
  let root = "";
  for await (const entry of importer([{ content: [bytes] }], blockstore as never, {
    cidVersion: 0,
    rawLeaves: false,
    leafType: "file",
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: 262144 }),
    layout: balanced({ maxChildrenPerNode: 174 }),
  })) {
    root = entry.cid.toString();
  }
  return root;
}

describe("CID encoder agrees with ipfs-unixfs-importer", () => {
  const K = 262144;
  const sizes = [2, 100, K - 1, K, K + 1, 2 * K, 2 * K + 7, 10 * K + 3, 173 * K, 174 * K - 1, 174 * K, 174 * K + 1, 175 * K + 12345, 348 * K + 1];

  for (const size of sizes) {
    it(`gives the importer's CID for ${size} random bytes, whole and streamed in odd pieces`, async () => {
      const bytes = randomBytes(size);
      const expected = await importerCid(bytes);
      expect(await cidOfBytes(bytes)).to.equal(expected);
      const hasher = new CidHasher();
      for (let o = 0; o < bytes.length; o += 99_991) hasher.update(bytes.subarray(o, o + 99_991));
      expect(hasher.cid()).to.equal(expected);
    });
  }

  it("refuses bytes after the CID was taken", () => {
    const hasher = new CidHasher();
    hasher.update(Buffer.from("x"));
    hasher.cid();
    expect(() => hasher.update(Buffer.from("y"))).to.throw(/after cid/);
  });
});

describe("CID leaf digests", () => {
  const K = 262144;
  for (const size of [0, 5, K, K + 1, 174 * K + 3]) {
    it(`rebuilds the CID of ${size} bytes from its leaf digests, and each digest matches its chunk`, async () => {
      const bytes = randomBytes(size);
      const hasher = new CidHasher();
      hasher.update(bytes);
      const cid = hasher.cid();
      const digests = hasher.leafDigests();
      expect(cidOfLeafDigests(digests, size)).to.equal(cid);
      for (let i = 0; i * K < Math.max(size, 1); i++) {
        expect(Buffer.from(leafDigest(bytes.subarray(i * K, (i + 1) * K))).equals(Buffer.from(digests.subarray(i * 32, i * 32 + 32)))).to.equal(true);
      }
      const tampered = Buffer.from(digests);
      tampered[0] ^= 1;
      expect(cidOfLeafDigests(tampered, size)).to.not.equal(cid);
    });
  }
});
