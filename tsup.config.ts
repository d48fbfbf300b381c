import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "tsup";

// Entries keep their folder in dist/ (dist/sdk/index.js, dist/cli/commands/devnet/up.js, ...).
function entries(dir: string, pick: (file: string) => boolean = () => true): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith(".ts") && !p.endsWith(".d.ts") && pick(p)) out[p.replace(/\.ts$/, "")] = p;
    }
  };
  walk(dir);
  return out;
}

// `npm test` rebuilds the JavaScript only (ASIX_SKIP_DTS=1); `npm install` / `npm run build` also emit types.
const withTypes = process.env.ASIX_SKIP_DTS !== "1";

export default defineConfig([
  {
    // The SDK, for apps: CommonJS and ESM, with types.
    entry: { "sdk/index": "sdk/index.ts" },
    format: ["cjs", "esm"],
    dts: withTypes,
    target: "node20",
    platform: "node",
    outDir: "dist",
    clean: false,
    sourcemap: true,
  },
  {
    // The devnet (asix/devnet), the CLI commands and each service's runnable main.
    entry: {
      "devnet/index": "devnet/index.ts",
      ...entries("cli/commands"),
      ...entries("devnet/services", (f) => path.basename(f) === "main.ts"),
    },
    format: ["cjs"],
    // hardhat's own engine, required at run time by devnet/coverageHits.ts; a native module, never bundled.
    external: ["@nomicfoundation/edr"],
    dts: withTypes ? { entry: { "devnet/index": "devnet/index.ts" } } : false,
    splitting: true,
    target: "node20",
    platform: "node",
    outDir: "dist",
    clean: false,
    sourcemap: true,
  },
]);
