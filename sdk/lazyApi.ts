/**
 * An API object whose methods load their implementation on first call: `asix.staking` and
 * `asix.governance` are built this way so that an app that never stakes or votes never loads that
 * code (nor, in Node, ethers and the contract ABIs behind it). `methods` must name every method of
 * the API; each module checks that at compile time with `Complete`.
 */
export function lazyApi<Api extends object>(methods: ReadonlyArray<keyof Api>, load: () => Promise<Api>): Api {
  let api: Promise<Api> | undefined;
  const loaded = () => (api ??= load());
  return Object.fromEntries(
    methods.map((name) => [name, async (...args: unknown[]) => ((await loaded())[name] as (...a: unknown[]) => unknown)(...args)]),
  ) as Api;
}

/** `true` when `Listed` names every key of `Api`; otherwise the missing keys, which fails `const complete: Complete<…> = true`. */
export type Complete<Api, Listed> = [Exclude<keyof Api, Listed>] extends [never] ? true : Exclude<keyof Api, Listed>;
