import type { ImporterOptions } from "ipfs-unixfs-importer";
import { decodeBase58 } from "ethers";
import { AsixError } from "./errors";

/**
 * Content ids exactly as `ipfs add` makes them: UnixFS, CIDv0 (dag-pb, sha2-256), 256 KiB chunks,
 * balanced layout with 174 links per node, no raw leaves. Any IPFS node gets the same CID for the
 * same bytes, which is what lets content nodes verify every blob they receive.
 */
// The importer is ESM-only (as is multiformats): load it with import(), once, on first use.
let importerLoaded: Promise<{ importer: typeof import("ipfs-unixfs-importer").importer; options: ImporterOptions }> | undefined;
function loadImporter() {
  importerLoaded ??= (async () => {
    const [{ importer }, { fixedSize }, { balanced }] = await Promise.all([
      import("ipfs-unixfs-importer"),
      import("ipfs-unixfs-importer/chunker"),
      import("ipfs-unixfs-importer/layout"),
    ]);
    const options: ImporterOptions = {
      cidVersion: 0,
      rawLeaves: false,
      leafType: "file",
      reduceSingleLeafToSelf: true,
      chunker: fixedSize({ chunkSize: 262144 }),
      layout: balanced({ maxChildrenPerNode: 174 }),
    };
    return { importer, options };
  })();
  return importerLoaded;
}

// We only need the root CID; blocks are not kept (content nodes store whole files by CID).
const discardingBlockstore = {
  async put(cid: unknown) {
    return cid;
  },
};

/** The `ipfs add` CID (v0 string, "Qm…") of a byte stream. */
export async function cidOfStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<string> {
  const { importer, options } = await loadImporter();
  let root: string | undefined;
  for await (const entry of importer([{ content: source }], discardingBlockstore as never, options)) {
    root = entry.cid.toString();
  }
  if (!root) throw new AsixError("INTERNAL", "CID computation produced no root");
  return root;
}

/** The `ipfs add` CID of bytes in memory. */
export async function cidOfBytes(bytes: Uint8Array): Promise<string> {
  return cidOfStream([bytes]);
}

/**
 * A CID computed while bytes stream past: push chunks as they arrive, then await `cid()`.
 * Lets a content node hash an upload as it writes it, without reading the file twice.
 */
export class CidHasher {
  private readonly queue: Uint8Array[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private readonly result: Promise<string>;

  constructor() {
    this.result = cidOfStream(this.chunks());
    this.result.catch(() => undefined); // surfaced through cid()
  }

  private async *chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.queue.length > 0) {
        yield this.queue.shift()!;
      } else if (this.ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    }
  }

  private poke() {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Add the next chunk. */
  update(chunk: Uint8Array): void {
    if (this.ended) throw new AsixError("INTERNAL", "CidHasher.update after end");
    if (chunk.length > 0) this.queue.push(chunk);
    this.poke();
  }

  /** Finish and get the CID of everything pushed. */
  cid(): Promise<string> {
    this.ended = true;
    this.poke();
    return this.result;
  }
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
