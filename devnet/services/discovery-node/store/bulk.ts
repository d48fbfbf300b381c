import type { Sql, SqlValue } from "./types";

/**
 * Many rows in one statement, for a batch of actions. On PostgreSQL each call below is one round
 * trip per chunk: the rows travel as one JSON parameter that `json_populate_recordset` types as the
 * table's own rows (so no column types are repeated here), and the SQL text per table and column
 * set stays fixed, so it is prepared once. On SQLite, whose calls stay in the process, each row is
 * its own cached prepared statement, as before batching.
 */
export type Row = Record<string, SqlValue>;

/** Rows per JSON parameter, to bound one statement's memory on both sides. */
const CHUNK = 2000;

function* chunks<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += CHUNK) yield rows.slice(i, i + CHUNK);
}

/** `rows` as a table expression aliased `k`, bound as one JSON text parameter. */
function keyTable(db: Sql, table: string, columns: string[]): string {
  return db.dialect === "postgres"
    ? `json_populate_recordset(NULL::${table}, CAST(? AS json)) AS k`
    : `(SELECT ${columns.map((c) => `json_extract(value, '$.${c}') AS ${c}`).join(", ")} FROM json_each(?)) AS k`;
}

const json = (rows: Row[]) => JSON.stringify(rows, (_k, v) => (v === undefined ? null : typeof v === "bigint" ? Number(v) : v));
const matches = (keyColumns: string[]) => keyColumns.map((c) => `t.${c} = k.${c}`).join(" AND ");

/** The `columns` of the rows of `table` whose `keyColumns` equal one of `keys` (distinct keys, one query per chunk on both backends). */
export async function selectByKeys<T>(db: Sql, table: string, columns: string[], keyColumns: string[], keys: Row[]): Promise<T[]> {
  const out: T[] = [];
  const sql = `SELECT ${columns.map((c) => `t.${c}`).join(", ")} FROM ${table} AS t JOIN ${keyTable(db, table, keyColumns)} ON ${matches(keyColumns)}`;
  for (const chunk of chunks(keys)) out.push(...(await db.all<T>(sql, [json(chunk)])));
  return out;
}

/** INSERT `rows`; rows with the same columns share a statement (a missing column keeps its default). */
export async function insertRows(db: Sql, table: string, rows: Row[]): Promise<void> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const columns = Object.keys(row).filter((c) => row[c] !== undefined).sort().join(", ");
    (groups.get(columns) ?? groups.set(columns, []).get(columns)!).push(row);
  }
  for (const [columns, group] of groups) {
    if (db.dialect === "postgres") {
      const sql = `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${table}, CAST(? AS json))`;
      for (const chunk of chunks(group)) await db.run(sql, [json(chunk)]);
    } else {
      const names = columns.split(", ");
      const sql = `INSERT INTO ${table} (${columns}) VALUES (${names.map(() => "?").join(", ")})`;
      for (const row of group) await db.run(sql, names.map((c) => row[c]));
    }
  }
}

/** DELETE the rows whose `keyColumns` equal one of `keys`. */
export async function deleteRows(db: Sql, table: string, keyColumns: string[], keys: Row[]): Promise<void> {
  if (db.dialect === "postgres") {
    const sql = `DELETE FROM ${table} AS t USING ${keyTable(db, table, keyColumns)} WHERE ${matches(keyColumns)}`;
    for (const chunk of chunks(keys)) await db.run(sql, [json(chunk)]);
  } else {
    const sql = `DELETE FROM ${table} WHERE ${keyColumns.map((c) => `${c} = ?`).join(" AND ")}`;
    for (const key of keys) await db.run(sql, keyColumns.map((c) => key[c]));
  }
}

/** Add each row's `columns` (numbers; every row has all of them) to the row of `table` with its `keyColumn`. */
export async function addToRows(db: Sql, table: string, keyColumn: string, columns: string[], rows: Row[]): Promise<void> {
  if (db.dialect === "postgres") {
    const sql = `UPDATE ${table} AS t SET ${columns.map((c) => `${c} = t.${c} + k.${c}`).join(", ")} FROM ${keyTable(db, table, [keyColumn, ...columns])} WHERE ${matches([keyColumn])}`;
    for (const chunk of chunks(rows)) await db.run(sql, [json(chunk)]);
  } else {
    const sql = `UPDATE ${table} SET ${columns.map((c) => `${c} = ${c} + ?`).join(", ")} WHERE ${keyColumn} = ?`;
    for (const row of rows) await db.run(sql, [...columns.map((c) => row[c]), row[keyColumn]]);
  }
}
