import path from "node:path";
import fs from "node:fs";
import { subtask, type HardhatUserConfig } from "hardhat/config";
import {
  TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD,
  TASK_COMPILE_SOLIDITY_GET_SOURCE_PATHS,
} from "hardhat/builtin-tasks/task-names";
import "@typechain/hardhat";

const SOLC_VERSION = "0.8.28";

// The network has no compiler downloads: compile with the solc-js build that the pinned npm
// `solc` package ships, and refuse to run if that package is not the version we pin.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }) => {
  if (args.solcVersion !== SOLC_VERSION) {
    throw new Error(`asix: contracts must use solc ${SOLC_VERSION}, not ${args.solcVersion}`);
  }
  const solcPath = require.resolve("solc/soljson.js");
  const solc = require("solc");
  const version: string = solc.version();
  if (!version.startsWith(SOLC_VERSION)) {
    throw new Error(`asix: npm solc is ${version}; pin solc@${SOLC_VERSION}`);
  }
  return { version: SOLC_VERSION, longVersion: version, compilerPath: solcPath, isSolcJs: true };
});

// Two source folders: contracts/ (data chain) and eth-contracts/ (token and staking).
subtask(TASK_COMPILE_SOLIDITY_GET_SOURCE_PATHS, async (_args, hre, runSuper) => {
  const own: string[] = await runSuper();
  const ethDir = path.join(hre.config.paths.root, "eth-contracts");
  const walk = (dir: string): string[] =>
    fs.existsSync(dir)
      ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".sol") ? [path.join(dir, e.name)] : [],
        )
      : [];
  return [...own, ...walk(ethDir)];
});

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
  },
  paths: { sources: "contracts" },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
};

export default config;
