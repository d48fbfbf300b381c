import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const HERE = __dirname;
/** The static files copied beside the bundle. */
const STATIC_FILES = ["index.html", "style.css"];

export interface BuiltWebPlayer {
  /** the folder to serve */
  dir: string;
  /** gzip-free size of main.js, for the curious */
  bundleBytes: number;
}

/**
 * Bundle the page for browsers with esbuild: `@asix/sdk` resolves as an installed package would
 * (its package.json `exports`, under the `browser` condition), with every dependency included.
 */
export async function buildWebPlayer(outDir = path.join(HERE, "dist")): Promise<BuiltWebPlayer> {
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(HERE, "src", "main.ts")],
    outfile: path.join(outDir, "main.js"),
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    minify: true,
    sourcemap: true,
    logLevel: "silent",
  });
  for (const file of STATIC_FILES) fs.copyFileSync(path.join(HERE, file), path.join(outDir, file));
  return { dir: outDir, bundleBytes: fs.statSync(path.join(outDir, "main.js")).size };
}
