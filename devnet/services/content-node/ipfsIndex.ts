import type Database from "better-sqlite3";
import { unixfsDagOfLeafDigests, type UnixfsNode } from "../../../sdk/cid";

/**
 * Which held blob each IPFS block belongs to, so the Trustless Gateway (ipfsGateway.ts) can answer
 * for any block of a blob's UnixFS DAG, not only its root: every leaf and parent multihash maps to
 * the blob(s) whose DAG holds it. The blocks themselves are not stored: a leaf is the blob's chunk
 * in its UnixFS frame, a parent is rebuilt from the blob's leaf digests (a few hashes of 34-byte
 * links), so the index costs one row of ~70 bytes per 256 KiB chunk.
 *
 * Rows are written in the same transaction as the blob's row and leaf digests (db.ts), and dropped
 * with it; a file from before the index existed is filled in when it is opened.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS ipfs_blocks (
  multihash BLOB NOT NULL,
  blob_cid TEXT NOT NULL,
  PRIMARY KEY (multihash, blob_cid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ipfs_blocks_by_blob ON ipfs_blocks(blob_cid);
`;

/** Every block multihash of a DAG, each once. */
export function dagMultihashes(root: UnixfsNode): Buffer[] {
  const seen = new Map<string, Buffer>();
  const stack: UnixfsNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const multihash = Buffer.from(node.multihash);
    seen.set(multihash.toString("hex"), multihash);
    if (node.children) stack.push(...node.children);
  }
  return [...seen.values()];
}

export function createIpfsIndex(db: Database.Database) {
  db.exec(SCHEMA);
  const insert = db.prepare(`INSERT OR IGNORE INTO ipfs_blocks (multihash, blob_cid) VALUES (?, ?)`);
  const drop = db.prepare(`DELETE FROM ipfs_blocks WHERE blob_cid = ?`);
  const holders = db.prepare(`SELECT blob_cid FROM ipfs_blocks WHERE multihash = ? ORDER BY blob_cid LIMIT 16`).pluck();
  const unindexed = db.prepare(
    `SELECT cid, size, leaves FROM blobs WHERE leaves IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ipfs_blocks WHERE blob_cid = blobs.cid)`,
  );

  /** (Re)index blob `cid` from its leaf digests; call inside the transaction that stores them. */
  function index(cid: string, size: number, leaves: Uint8Array): void {
    drop.run(cid);
    for (const multihash of dagMultihashes(unixfsDagOfLeafDigests(leaves, size))) insert.run(multihash, cid);
  }

  /**
   * Index blobs stored before this index existed. Digests that do not fit their size are skipped:
   * the blob reader quarantines such a blob when it is next opened.
   */
  function backfill(): void {
    const rows = unindexed.all() as { cid: string; size: number; leaves: Buffer }[];
    db.transaction(() => {
      for (const row of rows) {
        try {
          index(row.cid, row.size, row.leaves);
        } catch {
          // left for the reader's check to quarantine
        }
      }
    })();
  }

  return {
    index,
    backfill,
    /** forget blob `cid`'s blocks (with its row) */
    drop: (cid: string) => void drop.run(cid),
    /** the blobs whose DAG holds the block with this multihash (a shared chunk may be in several) */
    blobsWithBlock: (multihash: Uint8Array) => holders.all(Buffer.from(multihash)) as string[],
  };
}
