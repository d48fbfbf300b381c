import { Args, Flags } from "@oclif/core";
import { AsixCommand } from "../../base";

export default class PlaylistAdd extends AsixCommand {
  static description = "Add a track to one of your playlists";
  static examples = [
    "<%= config.bin %> playlist add Qm3ab 7eP5n",
    "<%= config.bin %> playlist add Qm3ab 7eP5n --at 0",
    { description: '--json prints {"playlist": "Qm3ab", "track": "7eP5n", "blockHash": "0x…", "blockNumber": 42, "transactionHash": "0x…"}', command: '<%= config.bin %> playlist add Qm3ab 7eP5n --json' },
  ];
  static args = {
    playlist: Args.string({ description: "playlist id", required: true }),
    track: Args.string({ description: "track id", required: true }),
  };
  static flags = { at: Flags.integer({ description: "position (default: the end)", min: 0 }) };

  async run() {
    const { args, flags } = await this.parse(PlaylistAdd);
    const result = await (await this.sdk(flags)).playlists.addTrack(args.playlist, args.track, flags.at);
    this.log(`Added track ${args.track} to playlist ${args.playlist}`);
    return { playlist: args.playlist, track: args.track, ...result };
  }
}
