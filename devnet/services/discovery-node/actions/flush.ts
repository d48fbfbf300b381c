import type { FtsTable } from "../store/fts";
import { addToRows, deleteRows, insertRows, type Row } from "../store/bulk";
import { ENTITY_KEY, RELATION_KEY, type BatchState, type EntityTable, type PendingRow, type Relation } from "./state";

const ENTITIES: EntityTable[] = ["users", "tracks", "playlists"];

/**
 * Write a batch's changes (state.ts) in the batch's transaction, as a few multi-row statements.
 * The order gives the same rows as applying the actions one by one: the schema has no foreign
 * keys or triggers, so only writes to one row must keep their order, and only unique columns could
 * clash in between:
 *   1. entities from before the batch get their changed columns (handles moved aside first, so a
 *      handle passed from one user to another within the batch never collides on the way);
 *   2. new entities are inserted with their final columns (their handles are free by then);
 *   3. counters are added, to old and new entities alike;
 *   4. relation and search rows that may exist are deleted, then the batch's final ones inserted.
 */
export async function flushBatch(state: BatchState): Promise<void> {
  const { db } = state;
  for (const [id, set] of state.updates.users) {
    // handles are [A-Za-z0-9_], so "#id" is no one's
    if (set.handle_lc !== undefined) await db.run("UPDATE users SET handle_lc = ? WHERE user_id = ?", [`#${id}`, id]);
  }
  for (const table of ENTITIES) {
    for (const [id, set] of state.updates[table]) {
      const columns = Object.keys(set);
      await db.run(`UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(", ")} WHERE ${ENTITY_KEY[table]} = ?`, [...columns.map((c) => set[c]), id]);
    }
  }
  for (const table of ENTITIES) await insertRows(db, table, [...state.inserts[table].values()]);
  for (const table of ENTITIES) {
    const counts = state.counters[table];
    if (!counts.size) continue;
    const columns = [...new Set([...counts.values()].flatMap((c) => Object.keys(c)))].sort();
    const rows = [...counts].map(([id, c]) => Object.fromEntries([[ENTITY_KEY[table], id], ...columns.map((col) => [col, c[col] ?? 0])]) as Row);
    await addToRows(db, table, ENTITY_KEY[table], columns, rows);
  }
  for (const relation of Object.keys(state.relationRows) as Relation[]) await replaceRows(state, relation, RELATION_KEY[relation], state.relationRows[relation]);
  for (const table of Object.keys(state.searchRows) as FtsTable[]) await replaceRows(state, table, ["rowid"], state.searchRows[table]);
}

async function replaceRows(state: BatchState, table: string, keyColumns: string[], pending: Map<unknown, PendingRow>): Promise<void> {
  if (!pending.size) return;
  const rows = [...pending.values()];
  const stale = rows.filter((p) => p.replace).map((p) => p.key);
  if (stale.length) await deleteRows(state.db, table, keyColumns, stale);
  await insertRows(state.db, table, rows.flatMap((p) => (p.row ? [p.row] : [])));
}
