import { AsixError } from "../../../../sdk/errors";
import { openPostgresStore } from "./postgres";
import { openSqliteStore } from "./sqlite";
import type { DiscoveryStore } from "./types";

export type { DiscoveryStore, Sql, SqlValue, RunResult } from "./types";

export interface StoreOptions {
  /** data dir for the SQLite file (the default backend) */
  dir: string;
  /** `postgres://…` (or `postgresql://…`): index into PostgreSQL instead */
  databaseUrl?: string;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

/** Open (creating and migrating if needed) the discovery index: SQLite in `dir`, or PostgreSQL at `databaseUrl`. */
export async function openStore(options: StoreOptions): Promise<DiscoveryStore> {
  if (options.databaseUrl === undefined || options.databaseUrl === "") return openSqliteStore(options.dir);
  if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
    throw new AsixError("INVALID_INPUT", "the database URL must start with postgres:// or postgresql://");
  }
  return openPostgresStore(options.databaseUrl, options.log);
}
