import { Flags } from "@oclif/core";
import { AsixCommand } from "../../base";
import { trackLine } from "../../format";

export default class TrackTrending extends AsixCommand {
  static description = "Trending tracks (reposts, saves and plays with time decay)";
  static examples = ["<%= config.bin %> track trending --time month --genre Electronic"];
  static flags = {
    time: Flags.string({ description: "window", options: ["week", "month", "allTime"], default: "week" }),
    genre: Flags.string({ description: "only this genre" }),
    limit: Flags.integer({ description: "how many", default: 20, min: 1, max: 500 }),
  };

  async run() {
    const { flags } = await this.parse(TrackTrending);
    const tracks = await (await this.sdk(flags)).tracks.trending({ time: flags.time as "week", genre: flags.genre, limit: flags.limit });
    tracks.forEach((t, i) => this.log(`${String(i + 1).padStart(3)}. ${trackLine(t)}`));
    if (tracks.length === 0) this.log("Nothing trending yet.");
    return tracks;
  }
}
