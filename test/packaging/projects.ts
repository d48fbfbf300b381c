import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * Fresh projects that install the packed packages the way a user does (npm, from the tarballs),
 * for test/packaging/pack.test.ts and bench/sdk-install.bench.ts.
 */

export const ROOT = path.resolve(__dirname, "../..");
export const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");

export interface Run {
  stdout: string;
  stderr: string;
}

/** Run a command; a non-zero exit rejects with its output, so a failure says why. */
export function run(cmd: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd: options.cwd, env: { ...process.env, NODE_OPTIONS: "", ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${cmd} ${args.join(" ")} (in ${options.cwd}) failed: ${err.message}\n${stdout}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}

export interface Tarballs {
  sdk: string;
  devnet: string;
  cli: string;
}

/** `npm pack` every workspace package into dir (from the built dist; `npm run build` makes it). */
export async function packAll(dir: string): Promise<Tarballs> {
  for (const f of ["sdk/dist/index.d.ts", "sdk/dist/index.d.mts", "devnet/dist/index.d.ts", "cli/dist/commands/devnet/up.js"]) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run \`npm run build\` (types included) before packing`);
  }
  const { stdout } = await run("npm", ["pack", "--workspace", "sdk", "--workspace", "devnet", "--workspace", "cli", "--pack-destination", dir, "--ignore-scripts", "--json"], { cwd: ROOT });
  const packed: { name: string; filename: string }[] = JSON.parse(stdout);
  const file = (name: string) => {
    const p = packed.find((x) => x.name === name);
    if (!p) throw new Error(`npm pack did not pack ${name}`);
    return path.join(dir, p.filename);
  };
  return { sdk: file("@asix/sdk"), devnet: file("@asix/devnet"), cli: file("asix") };
}

/** Install scripts the devnet's dependencies need (npm 11 runs only those a project allows). */
export const DEVNET_ALLOW_SCRIPTS = {
  "better-sqlite3": true,
  sharp: true,
  "@ffmpeg-installer/linux-x64": true,
  keccak: true,
};

/**
 * A `.prebuild-installrc` for a fresh project that installs the devnet: it points prebuild-install
 * (better-sqlite3's install script) at a prebuilt binary packed from the workspace's own build,
 * same version and Node ABI, which is what users get from the GitHub release this network cannot
 * reach. Without it every run compiled SQLite from source, a minute and more of both cores. A
 * devnet that asks for another better-sqlite3 version finds no file of that name and compiles.
 */
export async function localSqlitePrebuild(dir: string): Promise<Record<string, string>> {
  const pkgDir = path.dirname(require.resolve("better-sqlite3/package.json", { paths: [ROOT] }));
  const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  // the name prebuild-install looks for: {name}-v{version}-{runtime}-v{abi}-{platform}-{arch}.tar.gz
  const tarball = path.join(dir, `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`);
  fs.mkdirSync(dir, { recursive: true });
  await run("tar", ["-czf", tarball, "-C", pkgDir, "build/Release/better_sqlite3.node"], { cwd: dir });
  return { ".prebuild-installrc": `local-prebuilds=${dir}\n` };
}

/** A new project dir with this package.json and files, then `npm install` of specs in it. */
export async function installProject(
  dir: string,
  pkg: Record<string, unknown>,
  specs: string[],
  files: Record<string, string> = {},
): Promise<{ dir: string; seconds: number; stderr: string }> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: path.basename(dir), version: "1.0.0", private: true, ...pkg }, null, 2));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const started = process.hrtime.bigint();
  // --prefer-offline: the dependencies come from the local npm cache when it has them.
  // JOBS=max: node-gyp compiles better-sqlite3 (when no prebuilt binary can be fetched) on every core.
  const { stderr } = await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", ...specs], { cwd: dir, env: { JOBS: "max" } });
  return { dir, seconds: Number(process.hrtime.bigint() - started) / 1e9, stderr };
}

export interface InstalledTree {
  /** every installed package name, nested ones included */
  names: string[];
  /** packages declaring an install, preinstall or postinstall script */
  withInstallScripts: string[];
  /** compiled native addons (.node files) */
  nativeAddons: string[];
  /** apparent size of node_modules in bytes */
  bytes: number;
}

/** What `npm install` put under dir/node_modules. */
export function inspectNodeModules(dir: string): InstalledTree {
  const tree: InstalledTree = { names: [], withInstallScripts: [], nativeAddons: [], bytes: 0 };
  const walk = (d: string, inPackages: boolean) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) {
        if (inPackages && e.name !== ".bin" && !e.name.startsWith("@") && fs.existsSync(path.join(p, "package.json"))) {
          const pkg = JSON.parse(fs.readFileSync(path.join(p, "package.json"), "utf8"));
          tree.names.push(pkg.name ?? e.name);
          const scripts = pkg.scripts ?? {};
          if (scripts.install || scripts.preinstall || scripts.postinstall) tree.withInstallScripts.push(pkg.name);
        }
        walk(p, e.name === "node_modules" || (inPackages && e.name.startsWith("@")));
      } else if (e.isFile()) {
        tree.bytes += fs.statSync(p).size;
        if (e.name.endsWith(".node")) tree.nativeAddons.push(path.relative(dir, p));
      }
    }
  };
  walk(path.join(dir, "node_modules"), true);
  return tree;
}

/** The devnet-only heavyweights an app must never get by installing the SDK. */
export const HEAVY = /^(hardhat|sharp|better-sqlite3|solc|@nomicfoundation\/.*|@ffmpeg-installer\/.*|@img\/.*)$|ffmpeg/;
