#!/usr/bin/env node
// CI guard: typechain-types/ is committed and must equal what a fresh compile generates.
// Run after `hardhat compile` (npm install's prepare step, or `npm test`, does that first).
const { execFileSync } = require("node:child_process");

let status;
try {
  execFileSync("git", ["rev-parse", "--is-inside-work-tree"], { stdio: "ignore" });
  status = execFileSync("git", ["status", "--porcelain", "--", "typechain-types"], { encoding: "utf8" });
} catch {
  console.log("check-generated: not a git checkout, nothing to compare");
  process.exit(0);
}
if (status.trim() !== "") {
  console.error("typechain-types/ differs from a fresh compile of the contracts. Run `npx hardhat compile` and commit typechain-types/:");
  console.error(status);
  process.exit(1);
}
console.log("check-generated: typechain-types/ matches the contracts");

// The SDK's ABI-only module (sdk/protocol/ethAbis.ts) must match the compiled contracts too.
try {
  execFileSync(process.execPath, [require("node:path").join(__dirname, "generate-sdk-abis.js"), "--check"], { stdio: "inherit" });
} catch {
  process.exit(1);
}
