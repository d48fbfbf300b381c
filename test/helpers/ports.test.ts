import { expect } from "chai";
import { spawn } from "node:child_process";
import path from "node:path";
import { canListen, freePortBase } from "./ports";

const ROOT = path.resolve(__dirname, "../..");
const PER_PROCESS = 60;

interface Claimer {
  bases: Promise<number[]>;
  /** end the process, and with it its claims */
  end(): Promise<void>;
}

/** A separate process (as a second mocha worker is) that claims bases and holds them until ended. */
function claimInAnotherProcess(count: number): Claimer {
  const script = `const { freePortBase } = require(${JSON.stringify(path.join(__dirname, "ports.ts"))});
(async () => { const bases = []; for (let i = 0; i < ${count}; i++) bases.push(await freePortBase()); console.log(JSON.stringify(bases)); process.stdin.resume(); process.stdin.on("end", () => process.exit(0)); })();`;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", script], { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, NODE_OPTIONS: "" } });
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  const bases = new Promise<number[]>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
      if (out.includes("\n")) resolve(JSON.parse(out));
    });
    child.on("error", reject);
    void closed.then((code) => reject(new Error(`the process exited with ${code} before claiming`)));
  });
  return {
    bases,
    async end() {
      child.stdin.end();
      await closed;
    },
  };
}

describe("test port bases (test/helpers/ports.ts)", function () {
  this.timeout(120_000);

  it("never hands the same base to two processes claiming at the same time, nor twice to one", async () => {
    const claimers = [claimInAnotherProcess(PER_PROCESS), claimInAnotherProcess(PER_PROCESS)];
    let a: number[], b: number[];
    try {
      [a, b] = await Promise.all(claimers.map((c) => c.bases));
    } finally {
      await Promise.all(claimers.map((c) => c.end()));
    }
    expect(new Set(a).size, "distinct within one process").to.equal(PER_PROCESS);
    expect(new Set(b).size, "distinct within the other").to.equal(PER_PROCESS);
    expect(a.filter((base) => b.includes(base)), "bases both processes were handed").to.deep.equal([]);
  });

  it("hands out a base whose whole span is free, away from the default 4700 and the ephemeral range", async () => {
    const base = await freePortBase();
    expect(base).to.be.at.least(20_000);
    expect(base + 29).to.be.below(32_768);
    for (let i = 0; i < 30; i++) expect(await canListen(base + i), `port ${base + i}`).to.equal(true);
  });
});
