import { expect } from "chai";
import { ChunkCache } from "../../../devnet/services/content-node/chunkCache";

const CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
const OTHER = "bafkreidgvpkjawlxz6sffxzwgooowe5yt7i6wsyg236mfoks77nywkptdq";

describe("content node: the read cache of checked chunks", () => {
  it("keeps chunks up to its budget, dropping the least recently read first", () => {
    const cache = new ChunkCache(300);
    cache.put(CID, 0, Buffer.alloc(100, 0));
    cache.put(CID, 1, Buffer.alloc(100, 1));
    cache.put(CID, 2, Buffer.alloc(100, 2));
    expect(cache.get(CID, 0)?.[0]).to.equal(0); // read again: now the most recent
    cache.put(OTHER, 0, Buffer.alloc(100, 9));
    expect(cache.bytes).to.equal(300);
    expect(cache.get(CID, 1), "the least recently read chunk").to.equal(undefined);
    expect(cache.get(CID, 0)?.[0]).to.equal(0);
    expect(cache.get(CID, 2)?.[0]).to.equal(2);
    expect(cache.get(OTHER, 0)?.[0]).to.equal(9);
  });

  it("forgets every chunk of one blob and nothing of another", () => {
    const cache = new ChunkCache(1000);
    for (let i = 0; i < 3; i++) cache.put(CID, i, Buffer.alloc(100));
    cache.put(OTHER, 1, Buffer.alloc(100));
    cache.forget(CID, 3);
    expect([0, 1, 2].map((i) => cache.get(CID, i))).to.deep.equal([undefined, undefined, undefined]);
    expect(cache.get(OTHER, 1)).to.not.equal(undefined);
    expect(cache.bytes).to.equal(100);
  });

  it("keeps nothing with a budget of 0 or a chunk larger than its budget", () => {
    const none = new ChunkCache(0);
    none.put(CID, 0, Buffer.alloc(1));
    expect(none.enabled).to.equal(false);
    expect(none.get(CID, 0)).to.equal(undefined);
    const small = new ChunkCache(10);
    small.put(CID, 0, Buffer.alloc(11));
    expect(small.get(CID, 0)).to.equal(undefined);
    expect(small.bytes).to.equal(0);
  });
});
