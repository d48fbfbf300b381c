import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";

export default class TrackUnsave extends AsixCommand {
  static description = "Remove a track from your favorites";
  static examples = [
    "<%= config.bin %> track unsave 7eP5n",
    { description: '--json prints {"track": "7eP5n", "blockHash": "0x…", "blockNumber": 42, "transactionHash": "0x…"}', command: '<%= config.bin %> track unsave 7eP5n --json' },
  ];
  static args = { track: Args.string({ description: "track id (hashid or integer)", required: true }) };

  async run() {
    const { args, flags } = await this.parse(TrackUnsave);
    const result = await (await this.sdk(flags)).tracks.unsave(args.track);
    this.log(`Unsaved track ${args.track} (block ${result.blockNumber})`);
    return { track: args.track, ...result };
  }
}
