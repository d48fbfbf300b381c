/**
 * Issue 17's snapshot figures: restoring a snapshot of a default devnet (3 content nodes, 1
 * discovery node, persist) after further writes, in the process that saved it (an in-memory
 * revert) and in a later one (a replay of the snapshot's journals), beside a warm restart of the
 * same devnet measured alternately in the same run. Also the save and a 7-day clock advance.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startDevnet, type Devnet } from "../devnet";
import { parseDuration } from "../devnet/clock";
import { createAsix } from "../sdk";
import { round, spread, writeResult } from "./util";

const FFMPEG: string = require("@ffmpeg-installer/ffmpeg").path;
const RUNS = 5;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-bench-snapshot-"));
  const options = { dir, persist: true, logs: false } as const;
  let devnet: Devnet = await startDevnet(options);
  const as = (i: number) => createAsix({ network: devnet, wallet: devnet.accounts[i].privateKey });
  try {
    // Something to snapshot: users, follows and three uploads.
    const mp3 = path.join(dir, "tone.mp3");
    require("node:child_process").execFileSync(FFMPEG, ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=20", mp3]);
    const users = await Promise.all([10, 11, 12].map(async (i) => (await as(i).users.create({ handle: `bench_snap_${i}` })).userId));
    for (const i of [11, 12]) await as(i).users.follow(users[0]);
    for (let t = 0; t < 3; t++) await as(10).tracks.upload(mp3, { title: `Bench ${t}` });

    let t = performance.now();
    await devnet.snapshots.save("bench");
    const saveMs = performance.now() - t;

    const inMemory: number[] = [];
    const fromJournals: number[] = [];
    const warmRestart: number[] = [];
    let n = 0;
    const writeSomething = async () => {
      n++;
      const { userId } = await as(13 + (n % 5)).users.create({ handle: `after_${n}` });
      await as(13 + (n % 5)).users.follow(users[0]);
      return userId;
    };
    for (let run = 0; run < RUNS; run++) {
      // ours: restore after further writes, in the process that saved it
      await writeSomething();
      t = performance.now();
      await devnet.snapshots.restore("bench");
      inMemory.push(performance.now() - t);

      // baseline: a warm restart of the same devnet
      t = performance.now();
      await devnet.stop();
      devnet = await startDevnet(options);
      warmRestart.push(performance.now() - t);

      // a later process: its first restore replays the snapshot's journals
      await writeSomething();
      t = performance.now();
      await devnet.snapshots.restore("bench");
      fromJournals.push(performance.now() - t);
    }

    t = performance.now();
    const moved = await devnet.time.advance(parseDuration("7d"));
    const advanceMs = performance.now() - t;

    const snapshotBytes = du(path.join(dir, "snapshots", "bench"));
    writeResult("devnet-snapshot", {
      devnet: "3 content nodes, 1 discovery node, persist; 3 users, 2 follows, 3 uploads of 20 s",
      restoreMs: spread(inMemory, 0),
      restoreFromJournalsMs: spread(fromJournals, 0),
      baselineWarmRestartMs: spread(warmRestart, 0),
      saveMs: round(saveMs, 0),
      advance7dMs: round(advanceMs, 0),
      advance7dEthBlocks: moved.ethChain.mined,
      snapshotDiskBytesExcludingHardLinkedBlobs: snapshotBytes,
      targetRestoreMs: 500,
    });
  } finally {
    await devnet.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes a snapshot adds on disk: hard-linked blobs are shared with the live nodes and not counted. */
function du(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const stat = fs.statSync(path.join(entry.parentPath, entry.name));
    if (stat.nlink === 1) total += stat.size;
  }
  return total;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
