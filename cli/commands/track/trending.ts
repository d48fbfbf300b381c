import { Flags } from "@oclif/core";
import { AsixCommand } from "../../base";
import { trackLine } from "../../format";
import { page, pageFlags, PAGE_SHAPE } from "../../paging";

export default class TrackTrending extends AsixCommand {
  static description = "Trending tracks (reposts, saves and plays with time decay)";
  static examples = [
    "<%= config.bin %> track trending --time month --genre Electronic",
    { description: `--json prints ${PAGE_SHAPE('{"id": "Xk9Lm", "title": "First light", ...}')}`, command: "<%= config.bin %> track trending --json" },
  ];
  static flags = {
    time: Flags.string({ description: "window", options: ["week", "month", "allTime"], default: "week" }),
    genre: Flags.string({ description: "only this genre" }),
    ...pageFlags(20),
  };

  async run() {
    const { flags } = await this.parse(TrackTrending);
    const tracks = await (await this.sdk(flags)).tracks.trending({ time: flags.time as "week", genre: flags.genre, limit: flags.limit, offset: flags.offset });
    tracks.forEach((t, i) => this.log(`${String(flags.offset + i + 1).padStart(3)}. ${trackLine(t)}`));
    if (tracks.length === 0) this.log("Nothing trending yet.");
    return page(tracks, flags);
  }
}
