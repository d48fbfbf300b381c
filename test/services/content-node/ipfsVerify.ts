import { createHash } from "node:crypto";

/**
 * What a verifying IPFS client does with what a trustless gateway sends, using only standard IPFS
 * libraries (@ipld/car, multiformats, ipfs-unixfs-exporter; all ESM-only, hence the dynamic imports).
 */

export const ipld = async () => {
  const [{ CarReader, CarIndexer }, { CID }, { exporter }] = await Promise.all([
    import("@ipld/car"),
    import("multiformats/cid"),
    import("ipfs-unixfs-exporter"),
  ]);
  return { CarReader, CarIndexer, CID, exporter };
};

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest();
const keyOf = (cid: { multihash: { bytes: Uint8Array } }) => Buffer.from(cid.multihash.bytes).toString("hex");

/** Whether `bytes` hash to the sha2-256 multihash the CID names. */
export function blockMatches(cid: { multihash: { code: number; digest: Uint8Array } }, bytes: Uint8Array): boolean {
  return cid.multihash.code === 0x12 && sha256(bytes).equals(Buffer.from(cid.multihash.digest));
}

/**
 * What a verifying client does with a CAR: check every block against its CID, then rebuild the file
 * under `root` from the checked blocks only. Throws on any block that does not match.
 */
export async function verifiedFile(car: Uint8Array, root: string): Promise<{ bytes: Buffer; blocks: string[] }> {
  const { CarReader, CID, exporter } = await ipld();
  const reader = await CarReader.fromBytes(car);
  const roots = await reader.getRoots();
  if (roots.length !== 1 || !roots[0].equals(CID.parse(root))) throw new Error(`CAR roots ${roots.join(",")} are not ${root}`);
  const verified = new Map<string, Uint8Array>();
  const blocks: string[] = [];
  for await (const block of reader.blocks()) {
    if (!blockMatches(block.cid, block.bytes)) throw new Error(`block ${block.cid} does not match its CID`);
    verified.set(keyOf(block.cid), block.bytes);
    blocks.push(block.cid.toString());
  }
  const blockstore = {
    async *get(cid: InstanceType<typeof CID>) {
      const bytes = verified.get(keyOf(cid));
      if (!bytes) throw new Error(`block ${cid} is missing from the CAR`);
      yield bytes;
    },
  };
  const entry = await exporter(root, blockstore);
  if (entry.type !== "file") throw new Error(`${root} is a ${entry.type}, not a UnixFS file`);
  const parts: Uint8Array[] = [];
  for await (const part of entry.content()) parts.push(part as Uint8Array);
  return { bytes: Buffer.concat(parts), blocks };
}
