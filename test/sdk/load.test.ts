import { expect } from "chai";
import { spawnSync } from "node:child_process";
import path from "node:path";

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
  function run(body: string, esm = false): any {
    const args = esm ? ["--input-type=module", "-e", body] : ["-e", body];
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
