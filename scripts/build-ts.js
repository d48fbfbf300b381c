#!/usr/bin/env node
// `npm run build:ts`: tsup builds sdk/dist, devnet/dist and cli/dist (with types), esbuild the devnet explorer's page, then records a
// stamp of what it built from. With --if-stale (what `npm test` runs) the build is skipped when the
// sources and the dist folders are exactly those of the last build: in CI, `npm ci` (prepare) has
// just built them, and the rebuild took a minute of CPU for nothing.
// Hand-written rather than a task runner (turbo, wireit): one input list and one stamp, no new
// dependency in the workspace.
const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const STAMP = path.join(ROOT, "node_modules", ".cache", "asix-build-ts.json");
/** What tsup reads: the packages' sources (the typechain bindings are bundled) and the configs. */
const INPUT_DIRS = ["sdk", "devnet", "cli", "typechain-types"];
const INPUT_FILES = ["tsup.config.ts", "package.json", "package-lock.json", "tsconfig.json"];
const OUTPUT_DIRS = ["sdk/dist", "devnet/dist", "cli/dist"];
const SKIPPED = new Set(["dist", "node_modules"]);

function walk(dir, skip, out) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!skip.has(e.name)) walk(p, skip, out);
    } else if (e.isFile()) out.push(p);
  }
  return out;
}

/** A hash of every input file's path and bytes. */
function inputsHash() {
  const h = crypto.createHash("sha256");
  const files = [...INPUT_DIRS.flatMap((d) => walk(path.join(ROOT, d), SKIPPED, [])), ...INPUT_FILES.map((f) => path.join(ROOT, f))];
  for (const f of files) {
    h.update(path.relative(ROOT, f)).update("\0");
    h.update(fs.existsSync(f) ? fs.readFileSync(f) : "(missing)").update("\0");
  }
  return h.digest("hex");
}

/** Every output file with its size and mtime: a build without types (build:js) or a deleted dist changes it. */
function outputsHash() {
  const h = crypto.createHash("sha256");
  for (const d of OUTPUT_DIRS) {
    const files = walk(path.join(ROOT, d), new Set(), []);
    h.update(`${d}:${files.length}\0`);
    for (const f of files) {
      const s = fs.statSync(f);
      h.update(`${path.relative(ROOT, f)} ${s.size} ${s.mtimeMs}\0`);
    }
  }
  return h.digest("hex");
}

function readStamp() {
  try {
    return JSON.parse(fs.readFileSync(STAMP, "utf8"));
  } catch {
    return undefined;
  }
}

const ifStale = process.argv.includes("--if-stale");
// ASIX_SKIP_DTS=1 builds no types: never a build the stamp can vouch for.
const withTypes = process.env.ASIX_SKIP_DTS !== "1";
const inputs = inputsHash();
if (ifStale && withTypes) {
  const stamp = readStamp();
  if (stamp && stamp.inputs === inputs && stamp.outputs === outputsHash()) {
    console.log("build:ts: sdk/, devnet/ and cli/ dist are up to date with their sources, not rebuilt");
    process.exit(0);
  }
}
fs.rmSync(STAMP, { force: true });
const tsup = spawnSync(process.execPath, [require.resolve("tsup/dist/cli-default.js", { paths: [ROOT] }), "--silent"], { cwd: ROOT, stdio: "inherit" });
if (tsup.status !== 0) process.exit(tsup.status ?? 1);
// The devnet explorer's page (plain TypeScript for browsers, the SDK bundled in) goes into devnet/dist/explorer.
const explorer = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "devnet/explorer/build.ts"], { cwd: ROOT, stdio: "inherit" });
if (explorer.status !== 0) process.exit(explorer.status ?? 1);
if (withTypes) {
  fs.mkdirSync(path.dirname(STAMP), { recursive: true });
  // the inputs as they were when the build started: an edit during the build means a rebuild next time
  fs.writeFileSync(STAMP, JSON.stringify({ inputs, outputs: outputsHash() }));
}
