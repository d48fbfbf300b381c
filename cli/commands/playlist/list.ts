import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { playlistLine } from "../../format";

export default class PlaylistList extends AsixCommand {
  static description = "List a user's playlists and albums (default: your own)";
  static examples = ["<%= config.bin %> playlist list", "<%= config.bin %> playlist list alice --json"];
  static args = { user: Args.string({ description: "handle or user id (default: the acting user)" }) };

  async run() {
    const { args, flags } = await this.parse(PlaylistList);
    const asix = await this.sdk(flags);
    const userId = args.user ? (await this.findUser(asix, args.user)).id : await asix.whoami();
    const playlists = await asix.users.playlists(userId);
    for (const p of playlists) this.log(playlistLine(p));
    if (playlists.length === 0) this.log("No playlists.");
    return playlists;
  }
}
