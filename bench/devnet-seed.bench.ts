/**
 * Issue 17's "seed time": `seedDevnet` filling a fresh default devnet with the default catalog
 * (20 artists, 100 tracks of 5-20 s audio with covers, 20 albums and playlists, the social graph,
 * plays, an operator and a delegator), wall time, with the time of each phase.
 * Baseline, in the same run: the `startDevnet` (what `asix devnet up` does) of that devnet.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startDevnet } from "../devnet";
import { seedDevnet } from "../devnet/seed";
import { round, writeResult } from "./util";

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "asix-bench-seed-"));
  const load = os.loadavg()[0];
  const upStarted = performance.now();
  const devnet = await startDevnet({ dir: path.join(tmp, "devnet"), persist: true, logs: false });
  const upSeconds = (performance.now() - upStarted) / 1000;
  try {
    const phases: Record<string, number> = {};
    const seedStarted = performance.now();
    const seeded = await seedDevnet(devnet, { seed: 1, log: (line) => (phases[line.replace(/^\d+ /, "").replace(/[0-9a-fx]{42}/gi, "…")] = round((performance.now() - seedStarted) / 1000, 1)) });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    writeResult("devnet-seed", {
      loadAverageAtStart: round(load, 2),
      seed: {
        seconds: round(seedSeconds, 1),
        artists: seeded.artists.length,
        tracks: seeded.tracks.length,
        audioSeconds: seeded.tracks.reduce((s, t) => s + t.seconds, 0),
        playlistsAndAlbums: seeded.playlists.length,
        follows: seeded.follows,
        saves: seeded.saves,
        reposts: seeded.reposts,
        plays: seeded.plays,
        phasesEndAtSeconds: phases,
      },
      baseline: { what: "startDevnet of the same default devnet (asix devnet up), same run", seconds: round(upSeconds, 2) },
    });
  } finally {
    await devnet.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
