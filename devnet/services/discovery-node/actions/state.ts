import type { Db } from "../db";
import { HANDLE_PATTERN } from "../metadata";
import type { FtsTable } from "../store/fts";
import { selectByKeys, type Row } from "../store/bulk";
import type { ChainAction } from "./chainAction";

/**
 * What a batch of actions reads and writes, held in memory while the batch is applied, so that on
 * PostgreSQL the batch costs a few round trips instead of about six per action.
 *
 * - Reads: the users, tracks, playlists and follows/saves/reposts/subscriptions the batch touches
 *   are loaded up front with one query per kind ({@link preload}); anything else is read on first
 *   use. After that the state here is the truth: every write updates it, so a later action of the
 *   batch sees an earlier one's effect (a user created, then acting; a track created, then updated).
 * - Writes: kept as pending rows and sent by flush.ts after the batch's last action, as multi-row
 *   statements.
 * - Each action runs between {@link begin} and {@link commit}; {@link rollback} undoes every
 *   change it made here, so a rejected or ignored action leaves nothing behind without a database
 *   savepoint.
 *
 * Invariant: a key that a committed action of this batch changed is present in its map, so a miss
 * may always be filled from the database, which holds the state from before the batch.
 */
export type EntityTable = "users" | "tracks" | "playlists";
export type Relation = "follows" | "subscriptions" | "saves" | "reposts";

export const ENTITY_KEY: Record<EntityTable, string> = { users: "user_id", tracks: "track_id", playlists: "playlist_id" };
export const RELATION_KEY: Record<Relation, string[]> = {
  follows: ["follower_id", "followee_id"],
  subscriptions: ["subscriber_id", "user_id"],
  saves: ["user_id", "item_type", "item_id"],
  reposts: ["user_id", "item_type", "item_id"],
};

/** The columns of each entity that actions read. */
const STATE_COLUMNS: Record<EntityTable, string[]> = {
  users: ["user_id", "wallet", "handle", "handle_lc", "name"],
  tracks: ["track_id", "owner_id", "is_delete", "title", "tags", "genre"],
  playlists: ["playlist_id", "owner_id", "is_delete", "is_album", "playlist_contents", "playlist_name"],
};
/** schema.ts's defaults of those columns, for an entity created in this batch without them */
const STATE_DEFAULTS: Record<EntityTable, Row> = {
  users: { name: "" },
  tracks: { is_delete: 0, tags: "", genre: "" },
  playlists: { is_delete: 0, is_album: 0, playlist_contents: "[]" },
};

export interface UserState { user_id: number; wallet: string; handle: string; handle_lc: string; name: string }
export interface TrackState { track_id: number; owner_id: number; is_delete: number; title: string; tags: string; genre: string }
export interface PlaylistState { playlist_id: number; owner_id: number; is_delete: number; is_album: number; playlist_contents: string; playlist_name: string }

/**
 * A relation or search row as it stands at the end of the batch: `row` to insert, or null for none;
 * `replace` when a row with its `key` may be in the database and must be deleted first.
 */
export interface PendingRow { key: Row; row: Row | null; replace: boolean }

export class BatchState {
  private readonly entities: Record<EntityTable, Map<number, Row | null>> = { users: new Map(), tracks: new Map(), playlists: new Map() };
  private readonly userBy: Record<"wallet" | "handle_lc", Map<string, number | null>> = { wallet: new Map(), handle_lc: new Map() };
  private readonly relations: Record<Relation, Map<string, boolean>> = { follows: new Map(), subscriptions: new Map(), saves: new Map(), reposts: new Map() };

  /** entities created in this batch: their whole row as it stands */
  readonly inserts: Record<EntityTable, Map<number, Row>> = { users: new Map(), tracks: new Map(), playlists: new Map() };
  /** entities from before the batch: the columns changed, latest value */
  readonly updates: Record<EntityTable, Map<number, Row>> = { users: new Map(), tracks: new Map(), playlists: new Map() };
  /** counters to add, by entity */
  readonly counters: Record<EntityTable, Map<number, Record<string, number>>> = { users: new Map(), tracks: new Map(), playlists: new Map() };
  readonly relationRows: Record<Relation, Map<string, PendingRow>> = { follows: new Map(), subscriptions: new Map(), saves: new Map(), reposts: new Map() };
  readonly searchRows: Record<FtsTable, Map<number, PendingRow>> = { users_fts: new Map(), tracks_fts: new Map(), playlists_fts: new Map() };

  private undo: Array<() => void> | undefined;

  constructor(readonly db: Db) {}

  begin(): void {
    this.undo = [];
  }
  commit(): void {
    this.undo = undefined;
  }
  rollback(): void {
    const undo = this.undo ?? [];
    this.undo = undefined;
    for (let i = undo.length - 1; i >= 0; i--) undo[i]();
  }

  /** Set `key` in `map`, undoably. */
  private put<K, V>(map: Map<K, V>, key: K, value: V): void {
    if (this.undo) {
      const had = map.has(key);
      const prev = map.get(key);
      this.undo.push(() => (had ? map.set(key, prev as V) : map.delete(key)));
    }
    map.set(key, value);
  }

  // ---- reads ----------------------------------------------------------------------------------

  async user(id: number): Promise<UserState | undefined> {
    return (await this.entity("users", id)) as UserState | undefined;
  }
  async track(id: number): Promise<TrackState | undefined> {
    return (await this.entity("tracks", id)) as TrackState | undefined;
  }
  async playlist(id: number): Promise<PlaylistState | undefined> {
    return (await this.entity("playlists", id)) as PlaylistState | undefined;
  }

  private async entity(table: EntityTable, id: number): Promise<Row | undefined> {
    const map = this.entities[table];
    if (!map.has(id)) {
      const row = await this.db.get<Row>(`SELECT ${STATE_COLUMNS[table].join(", ")} FROM ${table} WHERE ${ENTITY_KEY[table]} = ?`, [id]);
      if (row) this.fill(table, row);
      else map.set(id, null);
    }
    return map.get(id) ?? undefined;
  }

  /** The id of the user whose wallet (lower case) or handle_lc is `value`. */
  async userIdBy(column: "wallet" | "handle_lc", value: string): Promise<number | undefined> {
    const map = this.userBy[column];
    if (!map.has(value)) {
      const row = await this.db.get<Row>(`SELECT ${STATE_COLUMNS.users.join(", ")} FROM users WHERE ${column} = ?`, [value]);
      this.fillUserBy(column, value, row);
    }
    return map.get(value) ?? undefined;
  }

  async related(relation: Relation, key: Row): Promise<boolean> {
    const map = this.relations[relation];
    const k = relationKey(relation, key);
    if (!map.has(k)) {
      const columns = RELATION_KEY[relation];
      const row = await this.db.get(`SELECT 1 FROM ${relation} WHERE ${columns.map((c) => `${c} = ?`).join(" AND ")}`, columns.map((c) => key[c]));
      map.set(k, row !== undefined);
    }
    return map.get(k)!;
  }

  /** A row read from the database, for keys this batch has not seen (the database is older than the map). */
  private fill(table: EntityTable, row: Row): void {
    const id = Number(row[ENTITY_KEY[table]]);
    if (this.entities[table].has(id)) return;
    this.entities[table].set(id, row);
    if (table === "users") {
      for (const column of ["wallet", "handle_lc"] as const) {
        if (!this.userBy[column].has(row[column] as string)) this.userBy[column].set(row[column] as string, id);
      }
    }
  }

  private fillUserBy(column: "wallet" | "handle_lc", value: string, row: Row | undefined): void {
    if (this.userBy[column].has(value)) return;
    if (row) this.fill("users", row);
    // the user may have changed this value earlier in the batch: the map has the current one
    const current = row && this.entities.users.get(Number(row.user_id));
    this.userBy[column].set(value, current && current[column] === value ? Number(row!.user_id) : null);
  }

  /**
   * Load what `actions` will read, one query per kind (keys in chunks), so that applying them
   * reads from memory. Only an optimization: a key missed here is read on first use.
   */
  async preload(actions: ChainAction[]): Promise<void> {
    const ids: Record<EntityTable, Set<number>> = { users: new Set(), tracks: new Set(), playlists: new Set() };
    const by: Record<"wallet" | "handle_lc", Set<string>> = { wallet: new Set(), handle_lc: new Set() };
    const rels: Record<Relation, Map<string, Row>> = { follows: new Map(), subscriptions: new Map(), saves: new Map(), reposts: new Map() };
    const addRel = (relation: Relation, key: Row) => rels[relation].set(relationKey(relation, key), key);
    for (const a of actions) {
      const userId = safe(a.userId);
      const entityId = safe(a.entityId);
      if (userId === undefined) continue;
      ids.users.add(userId);
      if (a.kind !== "ManageEntity" || entityId === undefined) continue;
      const type = a.entityType;
      if (type === "User") {
        ids.users.add(entityId);
        if (a.action === "Create") by.wallet.add(a.signer);
        if (a.action === "Create" || a.action === "Update") {
          const handle = metadataHandle(a.metadata);
          if (handle) by.handle_lc.add(handle);
        }
        if (a.action === "Follow" || a.action === "Unfollow") addRel("follows", { follower_id: userId, followee_id: entityId });
        if (a.action === "Subscribe" || a.action === "Unsubscribe") addRel("subscriptions", { subscriber_id: userId, user_id: entityId });
      } else if (type === "Track" || type === "Playlist") {
        ids[type === "Track" ? "tracks" : "playlists"].add(entityId);
        const item = { user_id: userId, item_type: type === "Track" ? "track" : "playlist", item_id: entityId };
        if (a.action === "Save" || a.action === "Unsave") addRel("saves", item);
        if (a.action === "Repost" || a.action === "Unrepost") addRel("reposts", item);
      }
    }
    for (const table of ["users", "tracks", "playlists"] as const) {
      const keys = [...ids[table]].filter((id) => !this.entities[table].has(id));
      if (!keys.length) continue;
      const rows = await selectByKeys<Row>(this.db, table, STATE_COLUMNS[table], [ENTITY_KEY[table]], keys.map((id) => ({ [ENTITY_KEY[table]]: id })));
      for (const row of rows) this.fill(table, row);
      for (const id of keys) if (!this.entities[table].has(id)) this.entities[table].set(id, null);
    }
    for (const column of ["wallet", "handle_lc"] as const) {
      const values = [...by[column]].filter((v) => !this.userBy[column].has(v));
      if (!values.length) continue;
      const rows = await selectByKeys<Row>(this.db, "users", STATE_COLUMNS.users, [column], values.map((v) => ({ [column]: v })));
      const found = new Map(rows.map((r) => [r[column] as string, r]));
      for (const v of values) this.fillUserBy(column, v, found.get(v));
    }
    for (const relation of Object.keys(rels) as Relation[]) {
      const keys = [...rels[relation].values()];
      if (!keys.length) continue;
      const columns = RELATION_KEY[relation];
      const rows = await selectByKeys<Row>(this.db, relation, columns, columns, keys);
      for (const k of rels[relation].keys()) this.relations[relation].set(k, false);
      for (const row of rows) this.relations[relation].set(relationKey(relation, row), true);
    }
  }

  // ---- writes ---------------------------------------------------------------------------------

  /** A new entity's whole row (undefined columns keep the schema default). */
  insertEntity(table: EntityTable, row: Row): void {
    const id = Number(row[ENTITY_KEY[table]]);
    const state = { ...STATE_DEFAULTS[table], ...pick(row, STATE_COLUMNS[table]) };
    this.put(this.inserts[table], id, row);
    this.put(this.entities[table], id, state);
    if (table === "users") {
      this.put(this.userBy.wallet, state.wallet as string, id);
      this.put(this.userBy.handle_lc, state.handle_lc as string, id);
    }
  }

  /** Set `columns` (undefined ones are left as they are) of an existing entity. */
  updateEntity(table: EntityTable, id: number, columns: Row): void {
    const set = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
    const inserted = this.inserts[table].get(id);
    if (inserted) this.put(this.inserts[table], id, { ...inserted, ...set });
    else this.put(this.updates[table], id, { ...this.updates[table].get(id), ...set });
    const before = this.entities[table].get(id)!;
    const after = { ...before, ...pick(set, STATE_COLUMNS[table]) };
    this.put(this.entities[table], id, after);
    if (table === "users" && after.handle_lc !== before.handle_lc) {
      this.put(this.userBy.handle_lc, before.handle_lc as string, null);
      this.put(this.userBy.handle_lc, after.handle_lc as string, id);
    }
  }

  /** Add `delta` to a counter column of an existing entity. */
  addCount(table: EntityTable, id: number, column: string, delta: number): void {
    const counts = this.counters[table].get(id);
    this.put(this.counters[table], id, { ...counts, [column]: (counts?.[column] ?? 0) + delta });
  }

  /** Make the relation row `row` exist (on) or not (off). */
  relate(relation: Relation, row: Row, on: boolean): void {
    const k = relationKey(relation, row);
    const pending = this.relationRows[relation].get(k);
    this.put(this.relations[relation], k, on);
    this.put(this.relationRows[relation], k, { key: pick(row, RELATION_KEY[relation]), row: on ? row : null, replace: (pending?.replace ?? false) || !on });
  }

  /**
   * The search row of entity `id`: its text columns, or null to remove it. `fresh` for an entity
   * created in this action, which has no older row to replace.
   */
  setSearch(table: FtsTable, id: number, columns: Row | null, fresh = false): void {
    const pending = this.searchRows[table].get(id);
    this.put(this.searchRows[table], id, { key: { rowid: id }, row: columns && { rowid: id, ...columns }, replace: (pending?.replace ?? false) || !fresh });
  }
}

function relationKey(relation: Relation, row: Row): string {
  return RELATION_KEY[relation].map((c) => String(row[c])).join("|");
}

function pick(row: Row, columns: string[]): Row {
  const out: Row = {};
  for (const c of columns) if (row[c] !== undefined) out[c] = row[c];
  return out;
}

const safe = (v: bigint) => (v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined);

/** The handle a User Create/Update's metadata names, lower case, if it can be read; only for preloading. */
function metadataHandle(metadata: string): string | undefined {
  if (metadata.length > 64 * 1024) return undefined;
  try {
    const handle = JSON.parse(metadata)?.data?.handle;
    // only what readHandle accepts: anything else is never looked up (and may not even be text PostgreSQL can hold)
    return typeof handle === "string" && HANDLE_PATTERN.test(handle) ? handle.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
