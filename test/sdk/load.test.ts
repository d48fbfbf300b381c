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
