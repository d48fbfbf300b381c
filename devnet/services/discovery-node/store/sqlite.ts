import fs from "node:fs";
import path from "node:path";
import Database, { type Statement } from "better-sqlite3";
import { migrateSqlite, SQLITE_SCHEMA } from "./sqliteDialect";
import type { DiscoveryStore, RunResult, Sql, SqlValue } from "./types";

/**
 * The embedded default: one SQLite file, better-sqlite3. Calls run synchronously and hand back
 * settled promises, with prepared statements cached by SQL text. A transaction is BEGIN … COMMIT
 * around an async body, so it holds a per-store lock: while it is open, calls from outside it
 * (HTTP reads, another writer) wait, and never see a half-applied batch on the shared connection.
 */
export function openSqliteStore(dir: string): DiscoveryStore {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "discovery.sqlite");
  const db = new Database(file);
  // WAL + NORMAL is durable across a process crash (only an OS crash may lose the last commit).
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  // The index outgrows SQLite's default 2 MB page cache quickly; backfill spends its time in B-tree
  // pages (actions, tracks, FTS), so keep more of them in memory.
  db.pragma("cache_size = -65536");
  db.pragma("temp_store = MEMORY");
  db.exec(SQLITE_SCHEMA);
  migrateSqlite(db);

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const cache = new Map<string, Statement<any[]>>();
  const prepare = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const args = (params?: readonly SqlValue[]) => (params ?? []).map((v) => (v === undefined ? null : v));

  /** settled while no transaction is open */
  let locked: Promise<void> | undefined;
  // The check and what follows it run in one synchronous step, so nothing can begin in between.
  const whenIdle = async <T>(f: () => T): Promise<T> => {
    while (locked) await locked;
    return f();
  };

  const all = <T>(sql: string, params?: readonly SqlValue[]) => prepare(sql).all(...args(params)) as T[];
  const get = <T>(sql: string, params?: readonly SqlValue[]) => prepare(sql).get(...args(params)) as T | undefined;
  const run = (sql: string, params?: readonly SqlValue[]): RunResult => ({ changes: prepare(sql).run(...args(params)).changes });

  let savepoints = 0;
  const tx: Sql = {
    dialect: "sqlite",
    all: async (sql, params) => all(sql, params),
    get: async (sql, params) => get(sql, params),
    run: async (sql, params) => run(sql, params),
    async transaction(fn) {
      const name = `sp${++savepoints}`;
      db.exec(`SAVEPOINT ${name}`);
      try {
        const result = await fn(tx);
        db.exec(`RELEASE ${name}`);
        return result;
      } catch (e) {
        db.exec(`ROLLBACK TO ${name}`);
        db.exec(`RELEASE ${name}`);
        throw e;
      } finally {
        savepoints--;
      }
    },
  };

  return {
    dialect: "sqlite",
    location: file,
    all: async (sql, params) => (locked ? whenIdle(() => all(sql, params)) : all(sql, params)),
    get: async (sql, params) => (locked ? whenIdle(() => get(sql, params)) : get(sql, params)),
    run: async (sql, params) => (locked ? whenIdle(() => run(sql, params)) : run(sql, params)),
    async transaction(fn) {
      while (locked) await locked;
      let release!: () => void;
      locked = new Promise((resolve) => (release = resolve));
      try {
        db.exec("BEGIN");
        try {
          const result = await fn(tx);
          db.exec("COMMIT");
          return result;
        } catch (e) {
          if (db.inTransaction) db.exec("ROLLBACK");
          throw e;
        }
      } finally {
        locked = undefined;
        release();
      }
    },
    async close() {
      await whenIdle(() => db.close());
    },
  };
}
