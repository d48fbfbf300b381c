/**
 * The SDK's one casing mechanism: wire formats stay snake_case, SDK return values are camelCase
 * (as JavaScript libraries and the reference SDK do). Only keys change; values (hashids, URLs,
 * enum strings such as "SaveType.track") and keys without an underscore ("150x150") stay as they are.
 */

/** `play_count` → `playCount`, `spl_usdc_wallet` → `splUsdcWallet`. */
export type CamelKey<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelKey<Tail>>}` : S;

/** A wire model with every key camelCased, recursively (through arrays, nested objects and unions). */
export type Camelized<T> = T extends readonly (infer E)[]
  ? Camelized<E>[]
  : T extends object
    ? { [K in keyof T as K extends string ? CamelKey<K> : K]: Camelized<T[K]> }
    : T;

export function camelKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The runtime twin of `Camelized<T>`: a deep copy of parsed JSON with camelCase keys. */
export function camelize<T>(value: T): Camelized<T> {
  if (Array.isArray(value)) return value.map((v) => camelize(v)) as Camelized<T>;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[camelKey(k)] = camelize(v);
    return out as Camelized<T>;
  }
  return value as Camelized<T>;
}
