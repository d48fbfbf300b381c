import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { trackLine } from "../../format";
import { page, pageFlags, PAGE_SHAPE } from "../../paging";

export default class TrackList extends AsixCommand {
  static description = "List a user's tracks (default: your own)";
  static examples = [
    "<%= config.bin %> track list",
    { description: `--json prints ${PAGE_SHAPE('{"id": "Xk9Lm", "title": "First light", "user": {...}, ...}')}`, command: "<%= config.bin %> track list alice --limit 10 --json" },
  ];
  static args = { user: Args.string({ description: "handle or user id (default: the acting user)" }) };
  static flags = pageFlags(100);

  async run() {
    const { args, flags } = await this.parse(TrackList);
    const asix = await this.sdk(flags);
    const userId = args.user ? (await this.findUser(asix, args.user)).id : await asix.whoami();
    const tracks = await asix.users.tracks(userId, { limit: flags.limit, offset: flags.offset });
    for (const t of tracks) this.log(trackLine(t));
    if (tracks.length === 0) this.log("No tracks.");
    return page(tracks, flags);
  }
}
