import pg from "pg";
import { AsixError } from "../../../../sdk/errors";
import { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA } from "./postgresDialect";
import type { DiscoveryStore, RunResult, Sql, SqlValue } from "./types";

/** int8 (counts, ids, block numbers, ms timestamps) and numeric come back as JS numbers, as from SQLite. */
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/** `?` placeholders → `$1, $2, …`, outside quoted strings and identifiers. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let out = "";
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "?") {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}

/**
 * Each SQL text gets a statement name, so every connection parses and plans it once (a named
 * prepared statement) instead of at each call; the texts come from a bounded set of templates.
 */
const translated = new Map<string, { text: string; name: string }>();
function toPg(sql: string): { text: string; name?: string } {
  let q = translated.get(sql);
  if (q === undefined) {
    q = { text: numberPlaceholders(sql), name: `asix_${translated.size}` };
    if (translated.size >= 10_000) return { text: q.text };
    translated.set(sql, q);
  }
  return q;
}

type Queryable = Pick<pg.Pool, "query">;

function sqlOn(client: Queryable, transaction: Sql["transaction"]): Sql {
  const query = (sql: string, params?: readonly SqlValue[]) =>
    client.query({ ...toPg(sql), values: (params ?? []).map((v) => (v === undefined ? null : typeof v === "bigint" ? v.toString() : v)) });
  return {
    dialect: "postgres",
    all: async <T>(sql: string, params?: readonly SqlValue[]) => (await query(sql, params)).rows as T[],
    get: async <T>(sql: string, params?: readonly SqlValue[]) => (await query(sql, params)).rows[0] as T | undefined,
    run: async (sql, params): Promise<RunResult> => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
    transaction,
  };
}

/** One line on why a connection failed; Node's dual-stack connect fails with an AggregateError of no message. */
function reason(e: unknown): string {
  const err = e as Error & { code?: string; errors?: unknown[] };
  const text = err?.message || (err?.errors ?? []).map((x) => (x as Error)?.message).filter(Boolean).join("; ") || err?.code || String(e);
  return text.replace(/\s+/g, " ").trim();
}

/** `postgres://user:password@host/db` without the password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable database URL)";
  }
}

/**
 * The index in PostgreSQL, through a `pg` pool. Reads go to any pooled connection (MVCC shows
 * them only committed batches); transactions take one connection for BEGIN … COMMIT and, as on
 * SQLite, run one at a time in this process, so the indexer, play counting and analysis sync
 * never interleave their writes. Fails (rejects) when the server cannot be reached or the schema
 * cannot be made.
 */
export async function openPostgresStore(databaseUrl: string, log: (msg: string, fields?: Record<string, unknown>) => void = () => {}): Promise<DiscoveryStore> {
  const location = redactUrl(databaseUrl);
  let pool: pg.Pool;
  try {
    pool = new pg.Pool({ connectionString: databaseUrl, types, max: 10, connectionTimeoutMillis: 10_000 });
  } catch (cause) {
    throw new AsixError("INVALID_INPUT", `bad database URL ${location}: ${(cause as Error).message}`, { cause });
  }
  // an idle connection that drops (server restart) is replaced on next use; without a listener it would crash the process
  pool.on("error", (e) => log("postgres connection error", { error: e.message }));
  try {
    await createSchema(pool, log);
  } catch (cause) {
    await pool.end().catch(() => {});
    throw new AsixError("NODE_UNAVAILABLE", `cannot open the index in PostgreSQL at ${location}: ${reason(cause)}`, { cause });
  }

  let locked: Promise<void> | undefined;
  const transaction: Sql["transaction"] = async (fn) => {
    while (locked) await locked;
    let release!: () => void;
    locked = new Promise((resolve) => (release = resolve));
    try {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query("BEGIN");
        // A nested transaction is a savepoint. Indexing no longer opens one per action (a batch's
        // rejected actions are undone in memory, actions/state.ts), so these are rare.
        let savepoints = 0;
        const savepoint: Sql["transaction"] = async (inner) => {
          const name = `sp${++savepoints}`;
          await client.query(`SAVEPOINT ${name}`);
          try {
            const result = await inner(tx);
            await client.query(`RELEASE SAVEPOINT ${name}`);
            return result;
          } catch (e) {
            await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
            await client.query(`RELEASE SAVEPOINT ${name}`);
            throw e;
          } finally {
            savepoints--;
          }
        };
        const tx: Sql = sqlOn(client, savepoint);
        const result = await fn(tx);
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => (broken = true));
        throw e;
      } finally {
        client.release(broken);
      }
    } finally {
      locked = undefined;
      release();
    }
  };

  return {
    ...sqlOn(pool, transaction),
    location,
    async close() {
      while (locked) await locked;
      await pool.end();
    },
  };
}

/**
 * Tables, indexes and the search's fold function, made once per database under an advisory lock
 * (two nodes starting on one database do not race).
 */
async function createSchema(pool: pg.Pool, log: (msg: string, fields?: Record<string, unknown>) => void): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(4215180001)");
    try {
      // unaccent ships with PostgreSQL (contrib) and is a trusted extension, so the database's owner may add it
      const unaccent = await client
        .query("CREATE EXTENSION IF NOT EXISTS unaccent")
        .then(() => true)
        .catch((e: Error) => (log("postgres: unaccent is not available, search will not fold accents", { error: e.message }), false));
      // IMMUTABLE (with the dictionary named) so generated columns may use it
      await client.query(
        unaccent
          ? "CREATE OR REPLACE FUNCTION asix_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$"
          : "CREATE OR REPLACE FUNCTION asix_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT lower(t) $$",
      );
      await client.query(POSTGRES_SCHEMA);
      await client.query(POSTGRES_MIGRATIONS);
    } finally {
      await client.query("SELECT pg_advisory_unlock(4215180001)");
    }
  } finally {
    client.release();
  }
}
