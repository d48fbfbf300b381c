import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Devnet } from "../../devnet";
import { startTestDevnet } from "../helpers/devnet";
import { DEVNET_ALLOW_SCRIPTS, HEAVY, TSC, inspectNodeModules, installProject, localSqlitePrebuild, packAll, run, type Tarballs } from "./projects";

/**
 * The packages as users get them: every workspace package is packed with `npm pack`, the SDK
 * tarball is installed alone into fresh ESM, CommonJS and TypeScript (nodenext, bundler) projects,
 * each of which type-checks under --strict without skipLibCheck, reads and writes against a devnet,
 * and holds none of the devnet's heavyweights. The CLI tarball is installed with the devnet and SDK
 * tarballs it depends on, and runs.
 */

// A signed write (users.create) then a read of what it wrote (users.get), in ESM syntax.
const ESM_APP = `import fs from "node:fs";
import { createAsix, isAsixError, type AsixError } from "@asix/sdk";
import { AsixError as AsixErrorClass } from "@asix/sdk/errors";

const network = JSON.parse(fs.readFileSync(process.env.ASIX_TEST_DEVNET_JSON!, "utf8"));
const asix = createAsix({ network, wallet: process.env.ASIX_TEST_KEY! });
const { userId } = await asix.users.create({ handle: process.env.ASIX_TEST_HANDLE! });
const user = await asix.users.get(userId);
let code: AsixError["code"] | undefined;
try {
  await asix.users.get(987654321);
} catch (e) {
  if (isAsixError(e) && e instanceof AsixErrorClass) code = e.code;
}
console.log(JSON.stringify({ userId, handle: user.handle, code }));
`;

const js = (ts: string) => ts.replace(", type AsixError", "").replace('let code: AsixError["code"] | undefined;', "let code;").replace(/!/g, "");

const CJS_APP = `const fs = require("node:fs");
const { createAsix, isAsixError } = require("@asix/sdk");
const { AsixError } = require("@asix/sdk/errors");

async function main() {
  const network = JSON.parse(fs.readFileSync(process.env.ASIX_TEST_DEVNET_JSON, "utf8"));
  const asix = createAsix({ network, wallet: process.env.ASIX_TEST_KEY });
  const { userId } = await asix.users.create({ handle: process.env.ASIX_TEST_HANDLE });
  const user = await asix.users.get(userId);
  let code;
  try {
    await asix.users.get(987654321);
  } catch (e) {
    if (isAsixError(e) && e instanceof AsixError) code = e.code;
  }
  console.log(JSON.stringify({ userId, handle: user.handle, code }));
}
main().catch((e) => { console.error(e); process.exit(1); });
`;

// The package has no default export, and the type-check must say so rather than let it crash later.
const NO_DEFAULT = `// @ts-expect-error @asix/sdk has named exports only
import asix from "@asix/sdk";
export const unused = asix;
`;

const tsconfig = (compilerOptions: Record<string, unknown>) =>
  JSON.stringify({
    compilerOptions: { target: "ES2022", strict: true, outDir: "out", rootDir: "src", ...compilerOptions },
    include: ["src"],
  });

interface SdkProject {
  name: string;
  pkg: Record<string, unknown>;
  files: Record<string, string>;
  /** the file node runs, after the type-check and emit for TypeScript projects */
  main: string;
  typescript: boolean;
}

const SDK_PROJECTS: SdkProject[] = [
  { name: "esm", pkg: { type: "module" }, files: { "index.mjs": js(ESM_APP) }, main: "index.mjs", typescript: false },
  { name: "cjs", pkg: { type: "commonjs" }, files: { "index.cjs": CJS_APP }, main: "index.cjs", typescript: false },
  {
    name: "ts-nodenext",
    pkg: { type: "module" },
    files: { "tsconfig.json": tsconfig({ module: "nodenext", moduleResolution: "nodenext" }), "src/index.ts": ESM_APP, "src/noDefault.ts": NO_DEFAULT },
    main: "out/index.js",
    typescript: true,
  },
  {
    name: "ts-bundler",
    pkg: { type: "module" },
    files: { "tsconfig.json": tsconfig({ module: "esnext", moduleResolution: "bundler" }), "src/index.ts": ESM_APP, "src/noDefault.ts": NO_DEFAULT },
    main: "out/index.js",
    typescript: true,
  },
];

describe("packaging: the packed packages install and run on their own", function () {
  this.timeout(360_000);
  let tmp: string;
  let tarballs: Tarballs;
  let devnet: Devnet;
  let cliInstall: Promise<{ dir: string; stderr: string } | Error>;
  let sdkInstalls: Map<string, Promise<string | Error>>;

  const sdkProjectDir = (project: SdkProject) => path.join(tmp, `sdk-${project.name}`);

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "asix-pack-"));
    tarballs = await packAll(tmp);
    // The installs all start here and run side by side (npm waits on the disk and the cache much of
    // the time); each test below awaits its own and checks it. The CLI's is the long one (hardhat).
    const prebuild = await localSqlitePrebuild(path.join(tmp, "prebuilds"));
    cliInstall = installProject(path.join(tmp, "cli-app"), { allowScripts: DEVNET_ALLOW_SCRIPTS }, [tarballs.cli, tarballs.devnet, tarballs.sdk], prebuild).catch((e: Error) => e);
    sdkInstalls = new Map(
      SDK_PROJECTS.map((project) => {
        const dir = sdkProjectDir(project);
        fs.mkdirSync(path.join(dir, "src"), { recursive: true });
        return [project.name, installProject(dir, project.pkg, [tarballs.sdk], project.files).then(() => dir, (e: Error) => e)];
      }),
    );
    devnet = await startTestDevnet({ contentNodes: 1 });
  });
  after(async () => {
    await Promise.all([cliInstall, ...(sdkInstalls?.values() ?? [])]);
    await devnet?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  SDK_PROJECTS.forEach((project, i) => {
    it(`installs @asix/sdk alone into a ${project.name} project that type-checks, writes and reads`, async () => {
      const dir = await sdkInstalls.get(project.name)!;
      if (dir instanceof Error) throw dir;

      const tree = inspectNodeModules(dir);
      expect(tree.names).to.include("@asix/sdk");
      expect(tree.names.filter((n) => HEAVY.test(n)), "devnet-only packages under an SDK install").to.deep.equal([]);
      expect(tree.withInstallScripts, "packages with install scripts").to.deep.equal([]);
      expect(tree.nativeAddons, "native addons").to.deep.equal([]);

      if (project.typescript) {
        // No skipLibCheck: the SDK's shipped declarations are checked too.
        const tsc = await run(process.execPath, [TSC, "-p", "."], { cwd: dir });
        expect(tsc.stdout).to.equal("");
      }
      const account = devnet.accounts[11 + i];
      const handle = `pack_${project.name.replace(/-/g, "_")}_${Date.now() % 1e6}`;
      const { stdout } = await run(process.execPath, [project.main], {
        cwd: dir,
        env: { ASIX_TEST_DEVNET_JSON: path.join(devnet.dir, "devnet.json"), ASIX_TEST_KEY: account.privateKey, ASIX_TEST_HANDLE: handle },
      });
      const out = JSON.parse(stdout.trim().split("\n").pop()!);
      expect(out.handle).to.equal(handle);
      expect(out.userId).to.match(/^[A-Za-z0-9]+$/);
      expect(out.code).to.equal("NOT_FOUND");
    });
  });

  it("installs the asix CLI with the devnet and SDK tarballs and runs `npx asix devnet up --help`", async () => {
    const installed = await cliInstall;
    if (installed instanceof Error) throw installed;
    // The allowScripts the README documents cover every install script the CLI's tree has (npm 11).
    expect(installed.stderr).to.not.contain("not yet covered by allowScripts");
    const { stdout } = await run("npx", ["--no-install", "asix", "devnet", "up", "--help"], { cwd: installed.dir });
    expect(stdout).to.contain("Start a local Asix+ network");
    expect(stdout).to.contain("asix devnet up");
    const tree = inspectNodeModules(installed.dir);
    expect(tree.names.filter((n) => n === "@asix/sdk"), "one copy of the SDK").to.have.length(1);
  });
});
