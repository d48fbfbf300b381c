import { CHUNK_SIZE, unixfsDagOfLeafDigests, unixfsLeafFrame, type UnixfsNode } from "../../../sdk/cid";
import { BlobUnavailable, releaseReadBuffer, type BlobReader, type OpenBlob } from "./integrity";

/**
 * A held blob's UnixFS DAG, block by block, for the IPFS Trustless Gateway (ipfsGateway.ts).
 *
 * The DAG is rebuilt from the blob's leaf digests, which the blob reader has just checked against
 * its CID, so every parent block is known good without reading the file. A leaf block is its chunk,
 * read through the blob reader (hashed against its digest before use), inside its UnixFS frame.
 */

/** A block found in an open blob's DAG: its node, and the index (in file order) of its first leaf. */
export interface DagPosition {
  node: UnixfsNode;
  firstLeaf: number;
}

export interface DagBlock {
  multihash: Uint8Array;
  bytes: Uint8Array;
}

const leavesUnder = (node: UnixfsNode) => Math.max(1, Math.ceil(node.fileSize / CHUNK_SIZE));

/** The block with this multihash in the open blob's DAG, if it is there. */
export function locateBlock(blob: OpenBlob, multihash: Uint8Array): DagPosition | undefined {
  const root = unixfsDagOfLeafDigests(blob.verified.leaves, blob.size);
  // Pre-order walk: leaves are met in file order, so the count so far is the first leaf below.
  let leaf = 0;
  const stack: UnixfsNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Buffer.compare(node.multihash, multihash) === 0) return { node, firstLeaf: leaf };
    if (!node.children) leaf++;
    else for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return undefined;
}

/** Leaf `index` of the blob (a chunk of `length` bytes) as its UnixFS block, checked by the reader. */
export async function leafBlock(reader: BlobReader, blob: OpenBlob, index: number, length: number): Promise<Uint8Array> {
  const { prefix, suffix } = unixfsLeafFrame(length);
  const block = Buffer.allocUnsafe(prefix.length + length + suffix.length);
  block.set(prefix, 0);
  let at = prefix.length;
  if (length > 0) {
    const start = index * CHUNK_SIZE;
    for await (const piece of reader.read(blob, start, start + length - 1)) {
      block.set(piece, at);
      at += piece.length;
      releaseReadBuffer(piece);
    }
  }
  if (at !== prefix.length + length) throw new BlobUnavailable("corrupt", `leaf ${index} of the blob came back short`);
  block.set(suffix, at);
  return block;
}

/** The block at `at` alone. */
export async function blockAt(reader: BlobReader, blob: OpenBlob, at: DagPosition): Promise<Uint8Array> {
  return at.node.block ?? leafBlock(reader, blob, at.firstLeaf, at.node.fileSize);
}

/**
 * The DAG below `at` (itself included) in depth-first pre-order, reading one leaf at a time as
 * the consumer pulls. With `dups` false a block already yielded is skipped (and a repeated subtree
 * with it, unread): what IPIP-412 calls `dups=n`.
 */
export async function* dagBlocks(reader: BlobReader, blob: OpenBlob, at: DagPosition, dups: boolean): AsyncGenerator<DagBlock> {
  const seen = new Set<string>();
  let leaf = at.firstLeaf;
  const stack: UnixfsNode[] = [at.node];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!dups) {
      const key = Buffer.from(node.multihash).toString("hex");
      if (seen.has(key)) {
        leaf += leavesUnder(node);
        continue;
      }
      seen.add(key);
    }
    if (node.children) {
      yield { multihash: node.multihash, bytes: node.block! };
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    } else {
      yield { multihash: node.multihash, bytes: await leafBlock(reader, blob, leaf, node.fileSize) };
      leaf++;
    }
  }
}
