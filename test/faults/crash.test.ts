import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeAudio } from "../helpers/audio";
import { upDevnetChild, type DevnetChild } from "./devnetChild";
import { indexAndFreshReindex } from "./reindex";
import { Ledger } from "./workload";
import { seededRandom } from "../helpers/random";

const RUNS = Number(process.env.ASIX_FAULT_RUNS ?? 10);

/**
 * kill -9 of a persistent devnet's process during a mixed SDK workload (uploads, follows, playlist
 * edits, stakes, email sign-ups), then `up` again, several times over one network. The kill lands
 * when a seeded number of writes has been confirmed, with the other workers' writes in flight.
 */
describe("faults: kill -9 of the devnet", function () {
  this.timeout(300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-faults-"));
  let child: DevnetChild | undefined;
  let ledger: Ledger;
  let endpoints: string;
  const audioDir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-faults-audio-"));

  before(async () => {
    const audio = await Promise.all([440, 660].map((frequency) => makeAudio({ seconds: 1, format: "mp3", dir: audioDir, frequency })));
    ledger = new Ledger(audio);
    child = await upDevnetChild(dir);
    endpoints = endpointsOf(child);
    await ledger.setUp(child.state);
  });
  after(async () => {
    await child?.kill9();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(audioDir, { recursive: true, force: true });
  });

  /** Run the workload until `confirmations` writes are confirmed, then kill -9 (or stop cleanly). */
  async function workUntil(confirmations: number, seed: number, end: "kill -9" | "finish"): Promise<void> {
    const devnet = child!;
    let reached!: () => void;
    const until = new Promise<void>((resolve) => (reached = resolve));
    const work = ledger.run(devnet.state, seededRandom(seed), {
      until,
      onConfirmed: (n) => {
        if (n !== confirmations) return;
        reached();
        if (end === "kill -9") void devnet.kill9();
      },
    });
    const t0 = Date.now();
    await work;
    if (end === "kill -9") await devnet.kill9();
    if (process.env.ASIX_TEST_VERBOSE) console.log(`      workload to ${confirmations} confirmations and ${end}: ${Date.now() - t0} ms`);
  }

  /** `up` again on the same state dir: same ports, everything confirmed is there, the index is a fresh reindex. */
  async function upAndVerify(): Promise<void> {
    const t0 = Date.now();
    child = await upDevnetChild(dir);
    expect(endpointsOf(child), "every chain and service kept its port").to.equal(endpoints);
    const t1 = Date.now();
    const { index, fresh } = await indexAndFreshReindex(child.state);
    expect(dumpDifference(index, fresh), "the discovery index equals a fresh reindex of the replayed chain").to.deep.equal({ onlyInIndex: [], onlyInReindex: [] });
    const t2 = Date.now();
    await ledger.verify(child.state);
    if (process.env.ASIX_TEST_VERBOSE) console.log(`      up ${t1 - t0} ms, index check ${t2 - t1} ms, ledger check ${Date.now() - t2} ms`);
  }

  for (let run = 1; run <= RUNS; run++) {
    it(`run ${run} (seed ${run}): every confirmed write survives a kill -9 mid-workload`, async () => {
      const random = seededRandom(1000 + run);
      await workUntil(1 + Math.floor(random() * 6), run, "kill -9");
      await upAndVerify();
    });
  }

  it("a clean stop, more writes, a kill -9, then up: everything is there", async () => {
    await workUntil(3, 101, "finish");
    await child!.stop();
    child = await upDevnetChild(dir);
    expect(endpointsOf(child)).to.equal(endpoints);
    await workUntil(4, 102, "kill -9");
    await upAndVerify();
  });
});

/** The lines one canonical dump has and the other lacks (a few of each), for a readable failure. */
function dumpDifference(index: string, fresh: string): { onlyInIndex: string[]; onlyInReindex: string[] } {
  const a = new Set(index.split("\n"));
  const b = new Set(fresh.split("\n"));
  return { onlyInIndex: [...a].filter((l) => !b.has(l)).slice(0, 5), onlyInReindex: [...b].filter((l) => !a.has(l)).slice(0, 5) };
}

function endpointsOf(child: DevnetChild): string {
  const { ethChain, dataChain, services } = child.state;
  return JSON.stringify([ethChain.url, dataChain.url, services]);
}
