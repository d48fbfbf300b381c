import { expect } from "chai";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * What loading the SDK's entry pulls in. ethers and the contract bindings cost an app ~0.4 s on
 * every start, so only staking and governance may load them, on first use.
 */
describe("loading the SDK entry", function () {
  const ROOT = path.resolve(__dirname, "../..");

  function loadedAfter(script: string): string[] {
    const res = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
    expect(res.status, res.stderr).to.equal(0);
    return JSON.parse(res.stdout.trim().split("\n").pop()!);
  }
  const LIST = "console.log(JSON.stringify(Object.keys(require.cache).map((k) => k.slice(process.cwd().length))))";

  it("does not load ethers or the contract bindings, even with a private-key client", () => {
    const loaded = loadedAfter(
      `const { createAsix } = require("./sdk"); createAsix({ network: { discoveryUrl: "http://127.0.0.1:1", dataChain: { chainId: 1, entityManagerAddress: "0x${"11".repeat(20)}" } }, wallet: "0x${"22".repeat(32)}" }); ${LIST}`,
    );
    expect(loaded.some((f) => f.includes("/sdk/index.ts")), "the SDK itself was loaded").to.equal(true);
    expect(loaded.filter((f) => /node_modules\/ethers\/|typechain-types/.test(f))).to.deep.equal([]);
  });

  it("loads ethers once staking is first used", () => {
    const loaded = loadedAfter(
      `const { createAsix } = require("./sdk"); const asix = createAsix({ network: { discoveryUrl: "http://127.0.0.1:1", dataChain: { chainId: 1, entityManagerAddress: "0x${"11".repeat(20)}" } } }); asix.staking.balanceOf("0x${"33".repeat(20)}").catch(() => {}).then(() => { ${LIST} });`,
    );
    expect(loaded.some((f) => f.includes("node_modules/ethers/"))).to.equal(true);
  });
});

/**
 * The built `@asix/sdk` as Node loads it (package.json "exports" → dist/lazyIndex): a small core at
 * start, the rest on first call. These run the built package (npm test builds it first).
 */
describe("loading the built @asix/sdk in Node", function () {
  this.timeout(60_000);
  const ROOT = path.resolve(__dirname, "../..");
  const NETWORK = `{ discoveryUrl: "http://127.0.0.1:1", dataChain: { chainId: 1, entityManagerAddress: "0x${"11".repeat(20)}" } }`;

  /** Runs `body` (CommonJS, or ESM with `esm`) in a fresh node in the repository; its last stdout line as JSON. */
  function run(body: string, esm = false, nodeArgs: string[] = []): any {
    const args = [...nodeArgs, ...(esm ? ["--input-type=module", "-e", body] : ["-e", body])];
    const res = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
    expect(res.status, res.stderr).to.equal(0);
    return JSON.parse(res.stdout.trim().split("\n").pop()!);
  }
  const LOADED = "Object.keys(require.cache).map((k) => k.slice(process.cwd().length))";
  const HEAVY = /node_modules\/(@noble|exponential-backoff|ethers)\/|sdk\/dist\/(writes|asixFunctions|tracks\/uploadTrack|content\/upload|users\/createUser|auth\/signUp)\.js$/;

  it("loads neither noble nor the write, upload and wallet code at start, even with createAsix", () => {
    const loaded: string[] = run(`const { createAsix } = require("@asix/sdk"); createAsix({ network: ${NETWORK} }); console.log(JSON.stringify(${LOADED}))`);
    expect(loaded.some((f) => f.endsWith("sdk/dist/lazyIndex.js")), "the entry itself was loaded").to.equal(true);
    expect(loaded.filter((f) => HEAVY.test(f))).to.deep.equal([]);
    expect(loaded.length).to.be.lessThan(50);
  });

  /**
   * The repository's files an ESM `body` loads, in load order: ESM has no require.cache, so a
   * module-customization hook (node:module register) writes down every URL it loads.
   */
  function esmLoaded(body: string): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-esm-load-"));
    try {
      const log = path.join(dir, "loaded.txt");
      const hooks = path.join(dir, "hooks.mjs");
      fs.writeFileSync(hooks, `import fs from "node:fs"; export async function load(url, context, next) { fs.appendFileSync(${JSON.stringify(log)}, url + "\\n"); return next(url, context); }`);
      fs.writeFileSync(path.join(dir, "register.mjs"), `import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(hooks).href)});`);
      run(`${body}; console.log("[]")`, true, ["--import", pathToFileURL(path.join(dir, "register.mjs")).href]);
      const root = pathToFileURL(ROOT).href;
      return fs.readFileSync(log, "utf8").split("\n").filter((u) => u.startsWith(root + "/")).map((u) => u.slice(root.length));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  // The entry is one bundled file (tsup.config.ts, buildSdkCore); beside it only the modules whose
  // classes other SDK code checks with instanceof, each one file. Every other file Node opens at
  // start costs each app's start about a millisecond.
  it("loads one bundled file and the two shared modules (with noble's loader) at start, even with createAsix (CommonJS)", () => {
    const loaded: string[] = run(`const { createAsix } = require("@asix/sdk"); createAsix({ network: ${NETWORK} }); console.log(JSON.stringify(${LOADED}))`);
    expect([...loaded].sort()).to.deep.equal(["/sdk/dist/errors.js", "/sdk/dist/eth/keySigner.js", "/sdk/dist/lazyIndex.js", "/sdk/dist/platform/noble.js"]);
  });

  it("loads one bundled file and the two shared modules (with noble's loader) at start, even with createAsix (ESM)", () => {
    const loaded = esmLoaded(`const { createAsix } = await import("@asix/sdk"); createAsix({ network: ${NETWORK} })`);
    expect([...loaded].sort()).to.deep.equal(["/sdk/dist/errors.mjs", "/sdk/dist/eth/keySigner.mjs", "/sdk/dist/lazyIndex.mjs", "/sdk/dist/platform/noble.mjs"]);
  });

  it("exports the same names from require and import as the full entry (sdk/dist/index)", () => {
    const full: string[] = run(`console.log(JSON.stringify(Object.keys(require("./sdk/dist/index.js")).sort()))`);
    const cjs: string[] = run(`console.log(JSON.stringify(Object.keys(require("@asix/sdk")).sort()))`);
    const esm: string[] = run(`const m = await import("@asix/sdk"); console.log(JSON.stringify(Object.keys(m).sort()))`, true);
    expect(full.length).to.be.greaterThan(100);
    expect(cjs).to.deep.equal(full);
    expect(esm).to.deep.equal(full);
  });

  for (const esm of [false, true]) {
    const load = esm ? `const sdk = await import("@asix/sdk"); const errors = await import("@asix/sdk/errors");` : `const sdk = require("@asix/sdk"); const errors = require("@asix/sdk/errors");`;
    const main = (body: string) => (esm ? body : `(async () => { ${body} })()`);

    it(`rejects from a lazily loaded function with the one AsixError (${esm ? "ESM" : "CommonJS"})`, () => {
      const out = run(
        `${load} ${main(`
          const client = sdk.createClient({ network: ${NETWORK} });
          const asix = sdk.createAsix({ network: ${NETWORK} });
          const seen = [];
          for (const call of [() => sdk.getUser(client, "not an id!"), () => asix.users.get("not an id!"), () => asix.playlists.create({ name: "" })]) {
            try { await call(); seen.push("resolved"); } catch (e) { seen.push([e.code, e instanceof sdk.AsixError, e instanceof errors.AsixError]); }
          }
          console.log(JSON.stringify({ seen, same: sdk.AsixError === errors.AsixError }));`)}`,
        esm,
      );
      expect(out.same).to.equal(true);
      expect(out.seen).to.deep.equal([
        ["INVALID_INPUT", true, true],
        ["INVALID_INPUT", true, true],
        ["INVALID_INPUT", true, true],
      ]);
    });

    // sdk/staking/contracts.ts signs eth transactions for a private-key client only when its wallet
    // is `instanceof KeySigner` (its own import of it); the client the entry makes must pass.
    it(`makes a private-key client's wallet the KeySigner that staking recognises (${esm ? "ESM" : "CommonJS"})`, () => {
      const keySigner = esm ? `await import("./sdk/dist/eth/keySigner.mjs")` : `require("./sdk/dist/eth/keySigner.js")`;
      const out = run(
        `${load} ${main(`
          const { KeySigner } = ${keySigner};
          const client = sdk.createClient({ network: ${NETWORK}, wallet: "0x${"01".padStart(64, "0")}" });
          const asix = sdk.createAsix({ network: ${NETWORK}, wallet: "0x${"02".padStart(64, "0")}" });
          console.log(JSON.stringify([client.wallet instanceof KeySigner, asix.client.wallet instanceof KeySigner]));`)}`,
        esm,
      );
      expect(out).to.deep.equal([true, true]);
    });

    it(`signs and recovers with noble loaded on first use (${esm ? "ESM" : "CommonJS"})`, () => {
      const out = run(
        `${load} ${main(`
          const client = sdk.createClient({ network: ${NETWORK}, wallet: "0x${"01".padStart(64, "0")}" });
          const address = await client.wallet.getAddress();
          const signature = await sdk.signData(client.wallet, { hello: "world" });
          console.log(JSON.stringify({ address, recovered: sdk.recoverDataSigner({ hello: "world" }, signature) }));`)}`,
        esm,
      );
      // The address of private key 1, as every Ethereum library derives it.
      expect(out.address).to.equal("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
      expect(out.recovered).to.equal(out.address);
    });
  }

  it("writes out typehashes that are the keccak256 of their type strings", () => {
    const out = run(`const sdk = require("@asix/sdk"); const { id } = require("./sdk/dist/eth/bytes.js");
      console.log(JSON.stringify([[sdk.MANAGE_ENTITY_TYPEHASH, id(sdk.MANAGE_ENTITY_TYPE_STRING)], [sdk.MANAGE_ENTITY_WITH_DEADLINE_TYPEHASH, id(sdk.MANAGE_ENTITY_WITH_DEADLINE_TYPE_STRING)]]))`);
    for (const [written, computed] of out) expect(written).to.equal(computed);
  });
});

/**
 * Browsers bundle dist/index, which imports the shared modules the Node core uses (one file each,
 * their helpers inlined); sdk/platform's Node modules must stay imports there, so that package.json
 * "browser" swaps them for their browser versions.
 */
describe("bundling the built @asix/sdk for a browser", function () {
  this.timeout(60_000);

  it("signs with the browser's noble, not Node's built-in modules", async () => {
    const esbuild = await import("esbuild");
    const out = await esbuild.build({
      stdin: { contents: `import { createClient } from "@asix/sdk"; export const c = createClient;`, resolveDir: path.resolve(__dirname, "../..") },
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    const text = out.outputFiles[0].text;
    expect(text).to.include("// sdk/dist/eth/keySigner.mjs").and.include("// sdk/dist/platform/noble.browser.mjs");
    expect(text).to.not.include("getBuiltinModule");
  });
});
