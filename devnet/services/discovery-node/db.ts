import { openStore, type DiscoveryStore, type Sql } from "./store";

/** The index as the node's code sees it: a store, or a transaction handle inside one (store/types.ts). */
export type Db = Sql;
export type { DiscoveryStore };

/**
 * Open (creating if needed) the index: `dir`/discovery.sqlite, or PostgreSQL at `databaseUrl`.
 * The schema and its migrations are in store/sqliteDialect.ts and store/postgresDialect.ts.
 */
export function openDb(dir: string, databaseUrl?: string, log?: (msg: string, fields?: Record<string, unknown>) => void): Promise<DiscoveryStore> {
  return openStore({ dir, databaseUrl, log });
}

export interface Checkpoint {
  last_block: number;
  last_block_hash: string;
}

export function readCheckpoint(db: Db): Promise<Checkpoint | undefined> {
  return db.get<Checkpoint>("SELECT last_block, last_block_hash FROM indexing_checkpoint WHERE id = 1");
}

/** Tables derived from the chain, in dump order (FTS tables are rebuilt from them; plays are off chain). */
export const CHAIN_DERIVED_TABLES = [
  "indexing_checkpoint", "blocks", "users", "tracks", "playlists", "follows", "subscriptions", "saves", "reposts", "actions",
] as const;

/**
 * A canonical text dump of everything derived from the chain, plus the search index contents:
 * two databases of one backend that indexed the same chain to the same block give the same dump.
 */
export async function canonicalDump(db: Db): Promise<string> {
  const parts: string[] = [];
  const dumpQuery = async (label: string, sql: string) => {
    const rows = await db.all(sql);
    const lines = rows.map((r) => JSON.stringify(Object.values(r))).sort();
    parts.push(`## ${label} (${lines.length})`, ...lines);
  };
  for (const table of CHAIN_DERIVED_TABLES) await dumpQuery(table, `SELECT * FROM ${table}`);
  await dumpQuery("users_fts", "SELECT rowid, handle, name FROM users_fts");
  await dumpQuery("tracks_fts", "SELECT rowid, title, tags, genre FROM tracks_fts");
  await dumpQuery("playlists_fts", "SELECT rowid, playlist_name FROM playlists_fts");
  return parts.join("\n");
}
