import fs from "node:fs";
import path from "node:path";

/**
 * The explorer page's assets: `page/` bundled by esbuild (the SDK included, as an app would bundle
 * it for browsers) into a folder with index.html and style.css. `npm run build` writes them to
 * devnet/dist/explorer for the published devnet; run from source, the devnet builds them on the
 * explorer's first request instead, so they always match the source.
 */
export const PAGE_DIR = path.join(__dirname, "page");
const STATIC_FILES = ["index.html", "style.css"];

export async function buildExplorer(outDir: string): Promise<string> {
  // esbuild is a build tool, not a dependency of the published devnet: loaded only here, by a
  // name the devnet's own bundler leaves alone (it would try to bundle a literal import).
  const esbuild = "esbuild";
  const { build } = (await import(esbuild)) as typeof import("esbuild");
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(PAGE_DIR, "main.ts")],
    outfile: path.join(outDir, "main.js"),
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    minify: true,
    logLevel: "silent",
  });
  for (const file of STATIC_FILES) fs.copyFileSync(path.join(PAGE_DIR, file), path.join(outDir, file));
  return outDir;
}

if (require.main === module) {
  const out = process.argv[2] ?? path.join(__dirname, "..", "dist", "explorer");
  buildExplorer(out).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
