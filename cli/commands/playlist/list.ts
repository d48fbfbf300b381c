import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { playlistLine } from "../../format";
import { page, pageFlags, PAGE_SHAPE } from "../../paging";

export default class PlaylistList extends AsixCommand {
  static description = "List a user's playlists and albums (default: your own)";
  static examples = [
    "<%= config.bin %> playlist list",
    { description: `--json prints ${PAGE_SHAPE('{"id": "Pq3Rs", "playlistName": "Road trip", "isAlbum": false, ...}')}`, command: "<%= config.bin %> playlist list alice --json" },
  ];
  static args = { user: Args.string({ description: "handle or user id (default: the acting user)" }) };
  static flags = pageFlags(100);

  async run() {
    const { args, flags } = await this.parse(PlaylistList);
    const asix = await this.sdk(flags);
    const userId = args.user ? (await this.findUser(asix, args.user)).id : await asix.whoami();
    const playlists = await asix.users.playlists(userId, { limit: flags.limit, offset: flags.offset });
    for (const p of playlists) this.log(playlistLine(p));
    if (playlists.length === 0) this.log("No playlists.");
    return page(playlists, flags);
  }
}
