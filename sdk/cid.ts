import { sha256 } from "./platform/sha256";
import { AsixError } from "./errors";
import { concatBytes } from "./eth/bytes";

const concat = (parts: Uint8Array[]) => concatBytes(...parts);

/**
 * Content ids exactly as `ipfs add` makes them: UnixFS files in dag-pb, CIDv0 (sha2-256, base58),
 * 256 KiB chunks, balanced layout with at most 174 links per node, no raw leaves, a one-chunk file
 * reduced to its leaf. Any IPFS node gets the same CID for the same bytes, which is what lets
 * content nodes verify every blob they receive.
 *
 * The encoder is written out here (about a hundred lines of protobuf) rather than run through
 * ipfs-unixfs-importer: it hashes with node's native sha256 as the bytes stream past, synchronously,
 * several times faster. The tests hold it to the `ipfs add` vectors and to the importer itself.
 */

/** Bytes per UnixFS leaf (the `ipfs add` default chunker). */
export const CHUNK_SIZE = 262144;
const MAX_LINKS = 174;

interface DagNode {
  /** sha2-256 multihash: 0x12 0x20 ‖ digest */
  multihash: Uint8Array;
  /** serialized size of this block plus every block below it (dag-pb Tsize) */
  cumulativeSize: number;
  /** file bytes under this node */
  fileSize: number;
  /** a parent's own block and its children (a leaf's block is its chunk in `unixfsLeafFrame`) */
  block?: Uint8Array;
  children?: DagNode[];
}

/**
 * One node of a file's UnixFS DAG, as a content node serves it block by block (IPFS Trustless
 * Gateway): a parent carries its block and children; a leaf carries neither, its block being the
 * next chunk of the file (leaves come in file order) inside `unixfsLeafFrame(fileSize)`.
 */
export type UnixfsNode = Readonly<Pick<DagNode, "multihash" | "fileSize" | "block">> & {
  /** a parent's children, in file order; absent on a leaf */
  readonly children?: readonly UnixfsNode[];
};

/** An unsigned LEB128 varint (multiformats, protobuf and CAR lengths). */
export function varint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Uint8Array.from(out);
}

const bytes = (...values: number[]) => Uint8Array.from(values);

/** protobuf length-delimited field */
const bytesField = (tag: number, value: Uint8Array) => [bytes(tag), varint(value.length), value];

function hashBlock(block: Uint8Array): Uint8Array {
  return concat([bytes(0x12, 0x20), sha256(block)]);
}

/**
 * A leaf: PBNode { Data: UnixFS { Type: File, Data: chunk, filesize } }. The block is the chunk
 * between a prefix and a suffix that depend only on its length, so it is hashed without copying.
 */
function leafFrame(length: number): { prefix: Uint8Array; suffix: Uint8Array; blockLength: number } {
  const data = length > 0 ? concat([bytes(0x12), varint(length)]) : new Uint8Array(0);
  const suffix = concat([bytes(0x18), varint(length)]);
  const unixfsLength = 2 + data.length + length + suffix.length;
  const prefix = concat([bytes(0x0a), varint(unixfsLength), bytes(0x08, 0x02), data]);
  return { prefix, suffix, blockLength: prefix.length + length + suffix.length };
}

const fullChunkFrame = leafFrame(CHUNK_SIZE);

/** The bytes around a leaf's chunk in its dag-pb block. */
export interface UnixfsLeafFrame {
  /** the block's bytes before the chunk */
  prefix: Uint8Array;
  /** the block's bytes after the chunk */
  suffix: Uint8Array;
}

/** What goes before and after a chunk of `length` bytes to make its UnixFS leaf block. */
export function unixfsLeafFrame(length: number): UnixfsLeafFrame {
  return length === CHUNK_SIZE ? fullChunkFrame : leafFrame(length);
}

/** The sha2-256 digest of the UnixFS leaf block that wraps `chunk` (what its leaf CID names). */
export function leafDigest(chunk: Uint8Array): Uint8Array {
  const frame = chunk.length === CHUNK_SIZE ? fullChunkFrame : leafFrame(chunk.length);
  return sha256(frame.prefix, chunk, frame.suffix);
}

function leafNode(chunk: Uint8Array): DagNode {
  return leafOf(leafDigest(chunk), chunk.length);
}

function leafOf(digest: Uint8Array, length: number): DagNode {
  const blockLength = length === CHUNK_SIZE ? fullChunkFrame.blockLength : leafFrame(length).blockLength;
  return { multihash: concat([bytes(0x12, 0x20), digest]), cumulativeSize: blockLength, fileSize: length };
}

/** A parent: PBNode { Links: [{Hash, Name: "", Tsize}…], Data: UnixFS { Type: File, filesize, blocksizes } }. */
function parentNode(children: DagNode[]): DagNode {
  const fileSize = children.reduce((sum, c) => sum + c.fileSize, 0);
  const unixfs = concat([
    bytes(0x08, 0x02, 0x18),
    varint(fileSize),
    ...children.flatMap((c) => [bytes(0x20), varint(c.fileSize)]),
  ]);
  const links = children.flatMap((c) =>
    bytesField(0x12, concat([...bytesField(0x0a, c.multihash), bytes(0x12, 0x00, 0x18), varint(c.cumulativeSize)])),
  );
  const block = concat([...links, ...bytesField(0x0a, unixfs)]);
  return {
    multihash: hashBlock(block),
    cumulativeSize: block.length + children.reduce((sum, c) => sum + c.cumulativeSize, 0),
    fileSize,
    block,
    children,
  };
}

/**
 * A CID computed while bytes stream past: `update(chunk)` as they arrive, then `cid()`.
 * Memory stays at one 256 KiB chunk plus 34 bytes per block, whatever the file size.
 */
export class CidHasher {
  private readonly chunk = new Uint8Array(CHUNK_SIZE);
  private filled = 0;
  /** levels[0] holds leaves of the current group, levels[1] their parents, and so on */
  private readonly levels: DagNode[][] = [[]];
  private leaves = 0;
  private done = false;
  /** every leaf's digest in file order, 32 bytes each: what a reader verifies chunks against */
  private readonly digests: Uint8Array[] = [];

  /** Add the next bytes. */
  update(bytes: Uint8Array): void {
    if (this.done) throw new AsixError("INTERNAL", "CidHasher.update after cid()");
    let offset = 0;
    while (offset < bytes.length) {
      const n = Math.min(CHUNK_SIZE - this.filled, bytes.length - offset);
      this.chunk.set(bytes.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === CHUNK_SIZE) this.flushChunk();
    }
  }

  private flushChunk(): void {
    const leaf = leafNode(this.chunk.subarray(0, this.filled));
    this.digests.push(leaf.multihash.subarray(2));
    this.add(0, leaf);
    this.leaves++;
    this.filled = 0;
  }

  /** Add a leaf already hashed, by its digest and chunk length (to rebuild a root from stored digests). */
  addLeaf(digest: Uint8Array, length: number): void {
    this.add(0, leafOf(digest.slice(), length));
    this.leaves++;
  }

  /** Balanced layout, streamed: a full group of 174 becomes a parent one level up. */
  private add(level: number, node: DagNode): void {
    this.levels[level] ??= [];
    if (this.levels[level].length === MAX_LINKS) {
      this.add(level + 1, parentNode(this.levels[level]));
      this.levels[level] = [];
    }
    this.levels[level].push(node);
  }

  /** The leaf digests (32 bytes each, in order), once `cid()` has been called. */
  leafDigests(): Uint8Array {
    if (!this.done) throw new AsixError("INTERNAL", "CidHasher.leafDigests before cid()");
    return concat(this.digests);
  }

  /** Finish and return the CIDv0 ("Qm…") of everything added. */
  cid(): string {
    if (!this.done) {
      this.done = true;
      // The chunker always yields at least one chunk, an empty one for an empty file.
      if (this.filled > 0 || this.leaves === 0) this.flushChunk();
    }
    return this.root();
  }

  /** Finish a hasher fed only with `addLeaf`. */
  finishLeaves(): string {
    this.done = true;
    return this.root();
  }

  /** Finish a hasher fed only with `addLeaf`, returning the whole DAG rather than its CID. */
  finishTree(): UnixfsNode {
    this.done = true;
    return this.rootNode();
  }

  private root(): string {
    return encodeBase58(this.rootNode().multihash);
  }

  private rootNode(): DagNode {
    for (let level = 0; ; level++) {
      const nodes = this.levels[level];
      const above = this.levels.slice(level + 1).some((l) => l && l.length > 0);
      if (!above && nodes.length === 1) return nodes[0];
      this.add(level + 1, parentNode(nodes));
      this.levels[level] = [];
    }
  }
}

/** The `ipfs add` CID (v0 string, "Qm…") of a byte stream. */
export async function cidOfStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<string> {
  const hasher = new CidHasher();
  for await (const chunk of source) hasher.update(chunk);
  return hasher.cid();
}

/**
 * The CID that a file of `fileSize` bytes has when its leaves have these digests (32 bytes each,
 * in order). A store keeps the digests beside a blob and checks them once against its CID with
 * this; from then on each chunk read can be checked against its own digest.
 */
export function cidOfLeafDigests(digests: Uint8Array, fileSize: number): string {
  return hasherOfLeafDigests(digests, fileSize).finishLeaves();
}

/** The whole UnixFS DAG (root node) of a file of `fileSize` bytes whose leaves have these digests. */
export function unixfsDagOfLeafDigests(digests: Uint8Array, fileSize: number): UnixfsNode {
  return hasherOfLeafDigests(digests, fileSize).finishTree();
}

function hasherOfLeafDigests(digests: Uint8Array, fileSize: number): CidHasher {
  const count = Math.max(1, Math.ceil(fileSize / CHUNK_SIZE));
  if (digests.length !== count * 32) throw new AsixError("INVALID_INPUT", `expected ${count} leaf digests for ${fileSize} bytes`);
  const hasher = new CidHasher();
  for (let i = 0; i < count; i++) {
    const length = Math.min(CHUNK_SIZE, fileSize - i * CHUNK_SIZE);
    hasher.addLeaf(digests.subarray(i * 32, i * 32 + 32), length);
  }
  return hasher;
}

/** The `ipfs add` CID of bytes in memory. */
export async function cidOfBytes(bytes: Uint8Array): Promise<string> {
  const hasher = new CidHasher();
  hasher.update(bytes);
  return hasher.cid();
}

const BASE58 = /^Qm[1-9A-HJ-NP-Za-km-z]{44}$/;
const BASE32_V1 = /^b[a-z2-7]{58,110}$/;

/**
 * Whether a string is a well-formed CID: v0 ("Qm…", a sha2-256 multihash in base58btc) or v1 in
 * base32 ("b…", version byte 1). Such a string is also safe as a file name (no dots or slashes).
 */
export function isCid(text: unknown): text is string {
  if (typeof text !== "string") return false;
  if (BASE58.test(text)) {
    const hex = decodeBase58(text).toString(16).padStart(68, "0");
    return hex.length === 68 && hex.startsWith("1220");
  }
  if (BASE32_V1.test(text)) return base32Decode(text.slice(1))[0] === 1;
  return false;
}

/** A CID taken apart: what a block is (codec) and which bytes it names (multihash). */
export interface ParsedCid {
  /** CID version: 0 (base58 "Qm…") or 1 */
  version: 0 | 1;
  /** multicodec: 0x70 dag-pb (always, for v0), 0x55 raw, … */
  codec: number;
  /** the multihash: code, length, digest */
  multihash: Uint8Array;
  /** the binary CID (for v0, the multihash itself) */
  bytes: Uint8Array;
}

/** unsigned varint at `at`: [value, next offset], or undefined if it runs off the end */
function readVarint(bytes: Uint8Array, at: number): [number, number] | undefined {
  let value = 0;
  for (let shift = 0; at < bytes.length && shift < 49; shift += 7) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, at];
  }
  return undefined;
}

/**
 * Parse a CIDv0 ("Qm…") or a base32 CIDv1 ("b…", any codec and multihash, identity included);
 * undefined for anything else or trailing bytes.
 */
export function parseCid(text: unknown): ParsedCid | undefined {
  if (typeof text !== "string") return undefined;
  if (isCid(text) && text.startsWith("Qm")) {
    const multihash = new Uint8Array(34);
    let value = decodeBase58(text);
    for (let i = 33; i >= 0; i--, value >>= 8n) multihash[i] = Number(value & 0xffn);
    return { version: 0, codec: 0x70, multihash, bytes: multihash };
  }
  if (!/^b[a-z2-7]{4,110}$/.test(text)) return undefined;
  const bytes = base32Decode(text.slice(1));
  const version = readVarint(bytes, 0);
  const codec = version && version[0] === 1 ? readVarint(bytes, version[1]) : undefined;
  const code = codec && readVarint(bytes, codec[1]);
  const length = code && readVarint(bytes, code[1]);
  if (!codec || !length || length[1] + length[0] !== bytes.length) return undefined;
  return { version: 1, codec: codec[0], multihash: bytes.subarray(codec[1]), bytes };
}

/** The CIDv0 ("Qm…") of a dag-pb block with this sha2-256 multihash. */
export function cidV0OfMultihash(multihash: Uint8Array): string {
  if (multihash.length !== 34 || multihash[0] !== 0x12 || multihash[1] !== 0x20) throw new AsixError("INVALID_INPUT", "a CIDv0 names a sha2-256 multihash");
  return encodeBase58(multihash);
}

const BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** base58btc of bytes (a multihash starts with 0x12, so there are no leading zero bytes to keep). */
function encodeBase58(bytes: Uint8Array): string {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  let out = "";
  while (value > 0n) {
    out = BASE58_ALPHABET[Number(value % 58n)] + out;
    value /= 58n;
  }
  return out;
}

/** base58btc text (already checked against the alphabet) as an integer. */
function decodeBase58(text: string): bigint {
  let value = 0n;
  for (const ch of text) value = value * 58n + BigInt(BASE58_ALPHABET.indexOf(ch));
  return value;
}

function base32Decode(text: string): Uint8Array {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}
