import fs from "node:fs";
import path from "node:path";
import { build as esbuild, type Plugin } from "esbuild";
import { defineConfig, type Options } from "tsup";

/**
 * One build for the three workspace packages, each into its own dist/:
 * - sdk/dist: `@asix/sdk`, CommonJS and ESM with types, one entry per subpath in sdk/package.json's
 *   `exports` (the typechain bindings the SDK uses are bundled in, so the SDK needs no hardhat);
 * - devnet/dist: `@asix/devnet`, CommonJS, and each service's runnable main;
 * - cli/dist: the `asix` CLI's oclif commands.
 * Sources import the SDK relatively (`../sdk/errors`), so tests run them with tsx unchanged. In the
 * built devnet and CLI those imports become imports of the `@asix/sdk` package (see sdkExternal):
 * a second, bundled copy of the SDK would have its own AsixError class and break `instanceof`.
 */

const ROOT = __dirname;
const SDK_DIR = path.join(ROOT, "sdk");

// Entries keep their folder in dist/ (cli/dist/commands/devnet/up.js, ...).
function entries(dir: string, base: string, pick: (file: string) => boolean = () => true): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith(".ts") && !p.endsWith(".d.ts") && pick(p)) out[path.relative(base, p).replace(/\.ts$/, "")] = p;
    }
  };
  walk(dir);
  return out;
}

/** The SDK's public subpaths ("." and "./errors", ...), from the one place they are declared. */
function sdkSubpaths(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(SDK_DIR, "package.json"), "utf8"));
  return Object.keys(pkg.exports).filter((k) => k !== "./package.json");
}

function sdkSource(subpath: string): string {
  const rel = subpath === "." ? "index" : subpath.slice(2);
  const file = path.join("sdk", `${rel}.ts`);
  return fs.existsSync(file) ? file : path.join("sdk", rel, "index.ts");
}

/** A package's runtime dependencies (and their subpaths) stay imports; everything else is bundled. */
function dependenciesOf(dir: string): RegExp[] {
  return dependencyNames(dir).map((name) => new RegExp(`^${name.replace(/[/.]/g, "\\$&")}(/.*)?$`));
}

function dependencyNames(dir: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, dir, "package.json"), "utf8"));
  return Object.keys(pkg.dependencies ?? {});
}

// Keyed by the module's own path (staking/index, not staking), so each public subpath's types sit
// beside its JavaScript in dist/.
const sdkEntries = Object.fromEntries(sdkSubpaths().map((s) => [sdkSource(s).slice("sdk/".length).replace(/\.ts$/, ""), sdkSource(s)]));

/**
 * SDK modules that the Node core (see buildSdkCore) imports instead of inlining, because other SDK
 * code must see the same class: AsixError for every `instanceof AsixError`, across the core, the
 * lazily loaded functions and the subpaths; KeySigner, which staking tells from an ethers Signer
 * with `instanceof` (sdk/staking/contracts.ts) and which the core creates for a private-key client.
 * Each is itself one file, its imports (pure helpers) inlined: Node's ESM loader pays for every
 * module it links, and KeySigner's helpers were three more at every start.
 */
const SDK_SHARED = ["errors.ts", "eth/keySigner.ts"].map((f) => path.join(SDK_DIR, f));

/** Built as one file each by buildSdkCore, over tsup's one module per source file. */
const SDK_BUNDLED = [path.join(SDK_DIR, "lazyIndex.ts"), ...SDK_SHARED];

/** Every SDK source module: each becomes its own output module (sdk/dist mirrors sdk/). */
const sdkModules = entries(
  SDK_DIR,
  SDK_DIR,
  // sdk/node_modules holds the SDK's own copies of dependencies (some ship .ts sources): not SDK modules
  (f) =>
    !f.startsWith(path.join(SDK_DIR, "dist") + path.sep) &&
    !f.startsWith(path.join(SDK_DIR, "node_modules") + path.sep) &&
    // built as one file each instead (buildSdkCore)
    !SDK_BUNDLED.includes(f),
);

/** The SDK source file a relative specifier names ("./errors", "./auth", "./index.js"), if any. */
function sdkFileOf(resolveDir: string, spec: string): string | undefined {
  const target = path.resolve(resolveDir, spec.replace(/\.js$/, ""));
  if (!(target + path.sep).startsWith(SDK_DIR + path.sep)) return undefined;
  return [target + ".ts", path.join(target, "index.ts")].find((f) => fs.existsSync(f));
}

/**
 * One output module per SDK source module, so bundlers tree-shake by module and Node loads only
 * what an entry imports: every relative import of another SDK module stays an import, rewritten
 * to that module's output file for the format being built (.mjs for ESM, .js for CommonJS).
 * Imports outside sdk/ (the typechain bindings) are bundled into the module that uses them.
 */
const sdkPerModule = {
  name: "asix-sdk-per-module",
  setup(build: any) {
    const ext = build.initialOptions.format === "esm" ? ".mjs" : ".js";
    build.onResolve({ filter: /^\./ }, (args: any) => {
      if (args.kind === "entry-point") return undefined;
      const file = sdkFileOf(args.resolveDir, args.path);
      if (!file) return undefined;
      let rel = path.relative(args.resolveDir, file).replace(/\.ts$/, ext).split(path.sep).join("/");
      if (!rel.startsWith(".")) rel = `./${rel}`;
      return { path: rel, external: true };
    });
  },
};

/**
 * The one dependency inlined into the core: hashids is three small CommonJS files, which Node
 * would otherwise resolve and load at every start. The subpaths and lazily loaded modules still
 * import the hashids package (dist/hashids.js), so it stays a dependency.
 */
const SDK_CORE_INLINED = ["hashids"];

/**
 * esbuild plugin for one of SDK_BUNDLED: inlines the module's static imports, but leaves as
 * imports of their own output files the modules it loads on first call (every `import()`) and the
 * shared ones above (paths relative to the bundle's own folder in dist/).
 */
function sdkBundleBoundary(entry: string, ext: string): Plugin {
  return {
    name: "asix-sdk-bundle-boundary",
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind === "entry-point") return undefined;
        const file = sdkFileOf(args.resolveDir, args.path);
        if (!file) return undefined;
        // Browsers load the shared modules too (from dist/index), and swap sdk/platform's modules for
        // their .browser versions by file (package.json "browser"): only the Node core inlines them.
        const platform = file.startsWith(path.join(SDK_DIR, "platform") + path.sep) && SDK_SHARED.includes(entry);
        if (args.kind !== "dynamic-import" && !SDK_SHARED.includes(file) && !platform) return undefined;
        let rel = path.relative(path.dirname(entry), file).replace(/\.ts$/, ext).split(path.sep).join("/");
        if (!rel.startsWith(".")) rel = `./${rel}`;
        return { path: rel, external: true };
      });
    },
  };
}

/**
 * The JavaScript Node loads for `@asix/sdk` (sdk/lazyIndex.ts; package.json "exports" `import` and
 * `require`) as one file per format, with the shared modules above: loading its ~40 modules one
 * by one cost an app's start more than their code does (Node resolves, reads and compiles each
 * file). What it loads on first call stays one module per source file, as do the subpaths and
 * browsers' ./index, so bundlers still tree-shake by module. The core's copies of pure helpers
 * (CIDs, typed data, signatures) are duplicates of those modules, which is harmless: none keeps
 * state that another module reads.
 */
async function buildSdkCore(): Promise<void> {
  const external = dependencyNames("sdk")
    .filter((name) => !SDK_CORE_INLINED.includes(name))
    .flatMap((name) => [name, `${name}/*`]);
  const builds = SDK_BUNDLED.flatMap((entry) =>
    (["cjs", "esm"] as const).map((format) => {
      const ext = format === "esm" ? ".mjs" : ".js";
      return esbuild({
        entryPoints: { [path.relative(SDK_DIR, entry).replace(/\.ts$/, "")]: entry },
        bundle: true,
        format,
        platform: "node",
        target: "node20",
        outdir: path.join(SDK_DIR, "dist"),
        outExtension: { ".js": ext },
        external,
        plugins: [sdkBundleBoundary(entry, ext)],
        // sdk/platform/noble.ts reads import.meta.url only in the ESM build, as in the per-module build
        logOverride: { "empty-import-meta": "silent" },
        logLevel: "warning",
      });
    }),
  );
  await Promise.all(builds);
}

/** The subpath a resolved SDK source file is published under ("@asix/sdk" or "@asix/sdk/errors"). */
const sdkSpecifierByFile = new Map<string, string>(
  sdkSubpaths().map((s) => [path.resolve(ROOT, sdkSource(s)), s === "." ? "@asix/sdk" : `@asix/sdk/${s.slice(2)}`]),
);

/**
 * esbuild plugin for the devnet and CLI builds: any relative import that lands in sdk/ becomes an
 * external import of the published SDK subpath. An SDK module that is not exported fails the build,
 * so the package never reaches for an SDK file the SDK does not ship.
 */
const sdkExternal = {
  name: "asix-sdk-external",
  setup(build: any) {
    build.onResolve({ filter: /(^|\/)sdk(\/|$)/ }, (args: any) => {
      if (!args.path.startsWith(".")) return undefined;
      const target = path.resolve(args.resolveDir, args.path);
      if (!(target + path.sep).startsWith(SDK_DIR + path.sep) && target !== SDK_DIR) return undefined;
      const candidates = [target + ".ts", path.join(target, "index.ts")];
      for (const file of candidates) {
        const spec = sdkSpecifierByFile.get(file);
        if (spec) return { path: spec, external: true };
      }
      return {
        errors: [{ text: `${args.path} (from ${args.importer}) is not a subpath the SDK exports; add it to sdk/package.json "exports"` }],
      };
    });
  },
};

// `npm test` rebuilds the JavaScript only (ASIX_SKIP_DTS=1); `npm install` / `npm run build` also emit types.
const withTypes = process.env.ASIX_SKIP_DTS !== "1";

const common: Options = {
  target: "node20",
  platform: "node",
  clean: true,
  // Stack traces in the published code name the built files, which are readable (not minified);
  // maps would point at sources the packages do not ship.
  sourcemap: false,
  silent: true,
};

export default defineConfig([
  {
    ...common,
    // The SDK, for apps: CommonJS and ESM, one output module per source module (one copy of each,
    // so one AsixError), with types for each public subpath.
    entry: sdkModules,
    format: ["cjs", "esm"],
    dts: withTypes ? { entry: sdkEntries } : false,
    splitting: false,
    outDir: "sdk/dist",
    external: dependenciesOf("sdk"),
    esbuildPlugins: [sdkPerModule],
    // after both formats, so the modules the core imports exist beside it
    onSuccess: buildSdkCore,
  },
  {
    ...common,
    // The devnet (@asix/devnet) and each service's runnable main.
    entry: {
      index: "devnet/index.ts",
      // started as a worker thread by devnet/chainThread.ts, which looks for it beside itself
      chainWorker: "devnet/chainWorker.ts",
      ...entries("devnet/services", "devnet", (f) => path.basename(f) === "main.ts"),
    },
    format: ["cjs"],
    dts: withTypes ? { entry: { index: "devnet/index.ts" } } : false,
    splitting: true,
    outDir: "devnet/dist",
    external: dependenciesOf("devnet"),
    esbuildPlugins: [sdkExternal],
  },
  {
    ...common,
    // The asix CLI's oclif commands; the devnet is imported from @asix/devnet.
    entry: { ...entries("cli/commands", "cli"), ...entries("cli/hooks", "cli") },
    format: ["cjs"],
    dts: false,
    splitting: true,
    outDir: "cli/dist",
    external: dependenciesOf("cli"),
    esbuildPlugins: [
      sdkExternal,
      {
        // The CLI reaches the devnet through @asix/devnet's index only; devnet/index.ts re-exports
        // what the CLI uses from state.ts and accounts.ts (accounts.ts pulls hardhat in).
        name: "asix-devnet-external",
        setup(build: any) {
          build.onResolve({ filter: /(^|\/)devnet(\/|$)/ }, (args: any) => {
            if (!args.path.startsWith(".")) return undefined;
            const rel = path.relative(path.join(ROOT, "devnet"), path.resolve(args.resolveDir, args.path));
            if (rel.startsWith("..")) return undefined;
            if (["", "index", "state", "accounts"].includes(rel)) return { path: "@asix/devnet", external: true };
            return { errors: [{ text: `${args.path} (from ${args.importer}): the CLI imports the devnet only through @asix/devnet's index` }] };
          });
        },
      },
    ],
  },
]);
