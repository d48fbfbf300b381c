import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { trackLine } from "../../format";
import { page, pageFlags, PAGE_SHAPE } from "../../paging";

export default class TrackSearch extends AsixCommand {
  static description = "Search tracks by title, tags or genre (prefix matching)";
  static examples = [{ description: `--json prints ${PAGE_SHAPE('{"id": "Xk9Lm", "title": "First light", ...}')}`, command: "<%= config.bin %> track search 'first li' --json" }];
  static args = { query: Args.string({ description: "search words", required: true }) };
  static flags = pageFlags(20);

  async run() {
    const { args, flags } = await this.parse(TrackSearch);
    const tracks = await (await this.sdk(flags)).tracks.search(args.query, { limit: flags.limit, offset: flags.offset });
    for (const t of tracks) this.log(trackLine(t));
    if (tracks.length === 0) this.log("No matches.");
    return page(tracks, flags);
  }
}
