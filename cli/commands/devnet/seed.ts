import { Flags } from "@oclif/core";
import { AsixCommand } from "../../base";
import { AsixError } from "../../../sdk/errors";
import { seedDevnet, type SeedResult } from "../../../devnet";

export default class DevnetSeed extends AsixCommand {
  static description =
    "Fill the running devnet with a realistic catalog: 20 artists with avatars, 100 tracks of generated audio with cover art, albums, playlists, follows, saves, reposts, plays, one more node operator and a delegator. The same --seed-value always gives the same catalog. On a pristine devnet (nothing written to it since it was created) the first seed of a catalog is kept in a machine-wide seed cache (in the OS temp dir or ASIX_SEED_CACHE_DIR, by everything it depends on: seed value, counts, topology, URLs, version); the next seed of the same catalog on a pristine devnet of the same topology and ports restores it in seconds instead. --no-cache seeds for real and keeps nothing.";
  static examples = [
    "<%= config.bin %> devnet seed",
    "<%= config.bin %> devnet seed --seed-value 42 --tracks 20 --artists 5",
    "<%= config.bin %> devnet seed --no-cache",
    { description: '--json prints {"seed": 1, "artists": [{"handle": "…", "userId": "…", "address": "0x…"}, ...], "tracks": [...], "playlists": [...], "follows": 74, "saves": 95, "reposts": 37, "plays": 140, "staking": {...}, "ms": 41000, "fromCache": false}', command: "<%= config.bin %> devnet seed --json" },
  ];
  static flags = {
    "seed-value": Flags.integer({ description: "the seed: the same value gives the same catalog", default: 1, min: 0 }),
    artists: Flags.integer({ description: "how many artists", default: 20, min: 1, max: 200 }),
    tracks: Flags.integer({ description: "how many tracks", default: 100, min: 0, max: 1000 }),
    cache: Flags.boolean({ description: "use the seed cache (--no-cache: always seed for real, keep nothing)", default: true, allowNo: true }),
  };

  async run(): Promise<SeedResult> {
    const { flags } = await this.parse(DevnetSeed);
    const network = this.network(flags);
    if (!network.devnet) throw new AsixError("INVALID_INPUT", `network "${network.name}" is not a devnet: only a devnet is seeded (start one with asix devnet up)`);
    const result = await seedDevnet(network.devnet, {
      seed: flags["seed-value"],
      counts: { artists: flags.artists, tracks: flags.tracks },
      cache: flags.cache ? undefined : false,
      log: (line) => this.log(`  ${line}`),
    });
    this.log(`Seeded the devnet${result.fromCache ? " from cache" : ""} (seed value ${result.seed}) in ${(result.ms / 1000).toFixed(1)} s: ${result.artists.length} artists, ${result.tracks.length} tracks, ${result.playlists.length} playlists and albums`);
    this.log(`  first artist: @${result.artists[0].handle}; node operator ${result.staking.operator} (${result.staking.endpoint})`);
    return result;
  }
}
