import type * as AsixFunctions from "./asixFunctions";

/**
 * The SDK's asynchronous functions (writes, uploads, reads, wallets: ./asixFunctions), loaded on
 * the first call of any of them, once per process. Loading them with the SDK's entry tripled an
 * app's start time, and every one of them returns a promise anyway. (The cast: under a CommonJS
 * tsconfig, TS types a dynamic import through ESM declarations; see ./eth/lazyEthers.)
 */
export type SdkFunctions = typeof AsixFunctions;

let loading: Promise<SdkFunctions> | undefined;

/** ./asixFunctions, loaded once. */
export const loadFunctions = (): Promise<SdkFunctions> => (loading ??= import("./asixFunctions.js") as unknown as Promise<SdkFunctions>);

/** The functions of ./asixFunctions that return a promise: only those can wait for their module. */
type AsyncName = { [K in keyof SdkFunctions]: SdkFunctions[K] extends (...args: never[]) => Promise<unknown> ? K : never }[keyof SdkFunctions];

/** `name` from ./asixFunctions as a function of the same type that loads the module on its first call. */
export function lazyFunction<K extends AsyncName>(name: K): SdkFunctions[K] {
  const call = async (...args: unknown[]) => ((await loadFunctions())[name] as (...a: unknown[]) => unknown)(...args);
  return call as SdkFunctions[K];
}
