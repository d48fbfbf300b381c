/**
 * CARv1 framing (https://ipld.io/specs/transport/car/carv1/): a varint-prefixed dag-cbor header
 * `{roots: [cid], version: 1}`, then per block varint(len(cid) + len(block)) ‖ cid ‖ block.
 *
 * Written out here rather than with @ipld/car's CarWriter: @ipld/car (and multiformats, whose CID
 * objects it takes) are ESM-only with no `require` export, and our CommonJS build (tsup, with
 * code splitting) turns `import()` into `require()`, which Node then refuses
 * (ERR_PACKAGE_PATH_NOT_EXPORTED). The format is this small; the tests read our CARs with
 * @ipld/car's CarReader, which checks the header against its schema.
 */
import { varint } from "../../../sdk/cid";

/** dag-cbor major type `major` with argument `n` (n < 2^16: all a CID or a short string needs). */
function cborHead(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
}

const cborText = (s: string) => Buffer.concat([cborHead(3, s.length), Buffer.from(s, "ascii")]);

/** The CAR header naming `root` (a binary CID): its varint length, then the dag-cbor map. */
export function carHeader(root: Uint8Array): Buffer {
  // dag-cbor: map keys sorted by length first ("roots" before "version"); a CID is tag 42 over
  // a byte string of 0x00 (the identity multibase) and the binary CID.
  const header = Buffer.concat([
    cborHead(5, 2),
    cborText("roots"),
    cborHead(4, 1),
    Buffer.from([0xd8, 0x2a]),
    cborHead(2, root.length + 1),
    Buffer.from([0x00]),
    root,
    cborText("version"),
    cborHead(0, 1),
  ]);
  return Buffer.concat([varint(header.length), header]);
}

/** What goes before a block's bytes in the CAR: its section length and its binary CID. */
export function carBlockPrefix(cid: Uint8Array, blockLength: number): Buffer {
  return Buffer.concat([varint(cid.length + blockLength), cid]);
}
