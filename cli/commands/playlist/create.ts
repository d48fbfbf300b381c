import { Args, Flags } from "@oclif/core";
import { AsixCommand } from "../../base";

export default class PlaylistCreate extends AsixCommand {
  static description = "Create a playlist (or an album with --album)";
  static examples = [
    "<%= config.bin %> playlist create 'Night drive' --track 7eP5n --track Lm3xk",
    { description: '--json prints {"playlistId": "Qm3ab", "blockHash": "0x…", "blockNumber": 42, "transactionHash": "0x…"}', command: `<%= config.bin %> playlist create 'LP one' --album --json` },
  ];
  static args = { name: Args.string({ description: "playlist name", required: true }) };
  static flags = {
    description: Flags.string({ description: "up to 2,500 characters" }),
    album: Flags.boolean({ description: "an album rather than a playlist" }),
    private: Flags.boolean({ description: "hidden from others" }),
    track: Flags.string({ description: "a track to include (repeatable, in order)", multiple: true }),
  };

  async run() {
    const { args, flags } = await this.parse(PlaylistCreate);
    const result = await (await this.sdk(flags)).playlists.create({
      name: args.name,
      description: flags.description,
      isAlbum: flags.album,
      isPrivate: flags.private,
      trackIds: flags.track ?? [],
    });
    this.log(`Created ${flags.album ? "album" : "playlist"} "${args.name}" (${result.playlistId})`);
    return result;
  }
}
