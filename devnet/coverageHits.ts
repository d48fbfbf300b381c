import fs from "node:fs";
import path from "node:path";

/**
 * Solidity coverage (`npm run coverage`, scripts/sol-coverage/): when ASIX_COVERAGE_HITS names a file,
 * every chain this process starts records the coverage tags that instrumented contracts send to
 * EDR's coverage address, one hex tag a line. Hardhat 2 always passes `observability: {}` to EDR,
 * so the provider configuration is completed here, at the one place every provider is created.
 * Instrumented bytecode is larger, hence unlimited contract size on those chains only.
 */
export const COVERAGE_HITS_ENV = "ASIX_COVERAGE_HITS";

let installed = false;

export function collectCoverageHits(file: string): void {
  if (installed) return;
  installed = true;
  // The EDR that hardhat itself loads, resolved at run time (a literal require would make the build
  // bundle EDR's native binaries).
  const edrPath = require.resolve("@nomicfoundation/edr", { paths: [path.dirname(require.resolve("hardhat"))] });
  const { EdrContext } = require(edrPath);
  const createProvider = EdrContext.prototype.createProvider;
  EdrContext.prototype.createProvider = function (chainType: unknown, config: Record<string, unknown>, ...rest: unknown[]) {
    const observability = {
      ...(config.observability as object),
      codeCoverage: {
        onCollectedCoverageCallback: async (hits: Uint8Array[]) => {
          if (hits.length > 0) fs.appendFileSync(file, hits.map((h) => Buffer.from(h).toString("hex") + "\n").join(""));
        },
      },
    };
    return createProvider.call(this, chainType, { ...config, observability, allowUnlimitedContractSize: true }, ...rest);
  };
}
