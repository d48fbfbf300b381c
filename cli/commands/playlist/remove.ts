import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";

export default class PlaylistRemove extends AsixCommand {
  static description = "Remove a track from one of your playlists";
  static examples = [
    "<%= config.bin %> playlist remove Qm3ab 7eP5n",
    { description: '--json prints {"playlist": "Qm3ab", "track": "7eP5n", "blockHash": "0x…", "blockNumber": 42, "transactionHash": "0x…"}', command: '<%= config.bin %> playlist remove Qm3ab 7eP5n --json' },
  ];
  static args = {
    playlist: Args.string({ description: "playlist id", required: true }),
    track: Args.string({ description: "track id", required: true }),
  };

  async run() {
    const { args, flags } = await this.parse(PlaylistRemove);
    const result = await (await this.sdk(flags)).playlists.removeTrack(args.playlist, args.track);
    this.log(`Removed track ${args.track} from playlist ${args.playlist}`);
    return { playlist: args.playlist, track: args.track, ...result };
  }
}
