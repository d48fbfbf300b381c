import { Args, Flags } from "@oclif/core";
import { AsixCommand } from "../../base";
import { trackLine } from "../../format";

export default class TrackSearch extends AsixCommand {
  static description = "Search tracks by title, tags or genre (prefix matching)";
  static examples = ["<%= config.bin %> track search 'first li' --json"];
  static args = { query: Args.string({ description: "search words", required: true }) };
  static flags = { limit: Flags.integer({ description: "how many", default: 20, min: 1, max: 500 }) };

  async run() {
    const { args, flags } = await this.parse(TrackSearch);
    const tracks = await (await this.sdk(flags)).tracks.search(args.query, { limit: flags.limit });
    for (const t of tracks) this.log(trackLine(t));
    if (tracks.length === 0) this.log("No matches.");
    return tracks;
  }
}
