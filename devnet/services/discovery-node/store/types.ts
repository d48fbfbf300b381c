/**
 * The discovery node's one way to its index, whichever database holds it. SQL is written once with
 * `?` placeholders in the dialect both backends share (ON CONFLICT … DO NOTHING/UPDATE, SAVEPOINT,
 * lower(), CAST(? AS TEXT)); what differs (schema, full-text search) lives in one module per backend
 * (sqliteDialect.ts, postgresDialect.ts).
 */
export type SqlValue = string | number | bigint | null | undefined;

export interface RunResult {
  /** rows inserted, updated or deleted */
  changes: number;
}

export interface Sql {
  readonly dialect: "sqlite" | "postgres";
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /**
   * Run `fn` atomically: on the store, a transaction that no other reader of this process sees
   * half-applied; on a transaction handle, a savepoint (its writes are undone when `fn` throws,
   * and the outer transaction goes on).
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}

export interface DiscoveryStore extends Sql {
  /** where the index lives, for logs and errors (no password) */
  readonly location: string;
  close(): Promise<void>;
}
