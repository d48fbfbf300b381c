import { expect } from "chai";
import { instrument } from "../../scripts/sol-coverage/instrument";
import { COVERAGE_LIBRARY_FILE, COVERAGE_LIBRARY_SOURCE } from "../../scripts/sol-coverage/library";
import { summarize } from "../../scripts/sol-coverage/report";

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

contract Sample {
    uint256 public constant LIMIT = 3 > 2 ? 10 : 20;
    uint256 public total;
    error TooBig(uint256 value);

    function add(uint256 value) external returns (uint256) {
        require(value > 0, "zero");
        if (value > LIMIT) revert TooBig(value);
        else if (value == LIMIT) total = 0;
        for (uint256 i = 0; i < value; i++) total += 1;
        // a comment before a statement
        return total > 5 ? total : 5;
    }

    function twice(uint256 value) external pure returns (uint256) {
        return value * 2;
    }
}
`;

describe("npm run coverage: instrumentation", () => {
  it("puts a probe on both outcomes of every condition in a function, on the condition's line", () => {
    const result = instrument("Sample.sol", SOURCE, `./${COVERAGE_LIBRARY_FILE}`);
    // the constant's ternary is left alone: a call there would not compile
    expect(result.branches.map((b) => `${b.line}:${b.kind}`)).to.deep.equal(["10:require", "11:if", "12:if", "13:loop", "15:ternary"]);
    const tags = result.branches.flatMap((b) => [b.whenTrue, b.whenFalse]);
    expect(new Set(tags).size).to.equal(tags.length);
    // statements sit on the lines of their code, comments skipped
    expect(result.statements.map((s) => s.line)).to.include.members([10, 11, 12, 13, 15, 19]);
    expect(result.statements.map((s) => s.line)).not.to.include(14);
    expect(result.source).to.include(`import "./${COVERAGE_LIBRARY_FILE}";`);
  });

  it("compiles, with the coverage library, to a contract that keeps its interface", () => {
    const solc = require("solc");
    const result = instrument("Sample.sol", SOURCE, `./${COVERAGE_LIBRARY_FILE}`);
    const input = {
      language: "Solidity",
      sources: { "Sample.sol": { content: result.source }, [COVERAGE_LIBRARY_FILE]: { content: COVERAGE_LIBRARY_SOURCE } },
      settings: { evmVersion: "cancun", outputSelection: { "Sample.sol": { Sample: ["abi"] } } },
    };
    const output = JSON.parse(solc.compile(JSON.stringify(input)));
    expect((output.errors ?? []).filter((e: { severity: string }) => e.severity === "error")).to.deep.equal([]);
    const names = output.contracts["Sample.sol"].Sample.abi.map((f: { name: string }) => f.name).sort();
    expect(names).to.deep.equal(["LIMIT", "TooBig", "add", "total", "twice"]);
  });

  it("counts a line covered only when every statement on it ran, and each branch outcome on its own", () => {
    const probes = [
      {
        file: "Sample.sol",
        statements: [
          { tag: "0x01", line: 10 },
          { tag: "0x02", line: 11 },
          { tag: "0x03", line: 11 },
        ],
        branches: [{ kind: "if" as const, line: 11, whenTrue: "0xa1", whenFalse: "0xa0" }],
      },
    ];
    const summary = summarize(probes, new Set(["0x01", "0x02", "0xa0"]));
    const [file] = summary.files;
    expect(file.lines).to.deep.equal({ covered: 1, total: 2, pct: 50 });
    expect(file.statements).to.deep.equal({ covered: 2, total: 3, pct: 66.67 });
    expect(file.branches).to.deep.equal({ covered: 1, total: 2, pct: 50 });
    expect(file.uncoveredLines).to.deep.equal([11]);
    expect(file.uncoveredBranches).to.deep.equal(["11:if:true"]);
  });
});
