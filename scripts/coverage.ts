/**
 * `npm run coverage`: Solidity line, statement and branch coverage of eth-contracts/ and contracts/
 * with EDR's own instrumentation (solidity-coverage's hook does not fire on Hardhat 2.28+'s EDR).
 * In a copy of the repository, every source is instrumented and compiled (so that copy's
 * typechain-types, which the tests deploy from, hold instrumented bytecode), the contract tests
 * run there with chains reporting hits (devnet/coverageHits.ts), and the hits are mapped back to
 * the original sources. Writes coverage/summary.json.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { COVERAGE_HITS_ENV } from "../devnet/coverageHits";
import { instrument } from "./sol-coverage/instrument";
import { COVERAGE_LIBRARY_FILE, COVERAGE_LIBRARY_SOURCE } from "./sol-coverage/library";
import { formatSummary, summarize, type FileProbes } from "./sol-coverage/report";

const ROOT = path.resolve(__dirname, "..");
const SOURCE_DIRS = ["eth-contracts", "contracts"];
const TESTS = ["test/eth-contracts/**/*.test.ts", "test/contracts/**/*.test.ts"];
const NOT_COPIED = new Set([".git", "node_modules", "artifacts", "cache", "dist", "coverage", ".asix", "scratch"]);

function solidityFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? solidityFiles(path.join(dir, e.name)) : e.name.endsWith(".sol") ? [path.join(dir, e.name)] : [],
  );
}

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "asix-coverage-"));
  for (const entry of fs.readdirSync(ROOT)) {
    if (!NOT_COPIED.has(entry)) fs.cpSync(path.join(ROOT, entry), path.join(work, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(work, "node_modules"), "dir");

  const library = path.join(work, "contracts", COVERAGE_LIBRARY_FILE);
  const probes: FileProbes[] = [];
  for (const dir of SOURCE_DIRS) {
    for (const absolute of solidityFiles(path.join(ROOT, dir))) {
      const file = path.relative(ROOT, absolute).split(path.sep).join("/");
      const target = path.join(work, file);
      let libraryImport = path.relative(path.dirname(target), library).split(path.sep).join("/");
      if (!libraryImport.startsWith(".")) libraryImport = "./" + libraryImport;
      const result = instrument(file, fs.readFileSync(absolute, "utf8"), libraryImport);
      fs.writeFileSync(target, result.source);
      probes.push({ file, statements: result.statements, branches: result.branches });
    }
  }
  fs.writeFileSync(library, COVERAGE_LIBRARY_SOURCE);
  console.log(`coverage: instrumented ${probes.length} files in ${work}; compiling`);
  execFileSync("npx", ["hardhat", "compile", "--quiet"], { cwd: work, stdio: "inherit" });

  const hitsFile = path.join(work, "coverage-hits.txt");
  fs.writeFileSync(hitsFile, "");
  console.log("coverage: running the contract tests");
  const tests = spawnSync("npx", ["mocha", ...TESTS], { cwd: work, stdio: "inherit", env: { ...process.env, [COVERAGE_HITS_ENV]: hitsFile } });

  const hits = new Set(fs.readFileSync(hitsFile, "utf8").split("\n").filter(Boolean).map((h) => "0x" + h));
  const summary = summarize(probes, hits);
  fs.mkdirSync(path.join(ROOT, "coverage"), { recursive: true });
  fs.writeFileSync(path.join(ROOT, "coverage", "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  console.log("\n" + formatSummary(summary));
  if (tests.status !== 0) console.log(`\ncoverage: the contract tests failed (mocha ${tests.status ?? tests.signal}); the figures count what ran.`);
  if (process.argv.includes("--keep")) console.log(`coverage: kept ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
  process.exitCode = tests.status === 0 ? 0 : 1;
}

main();
