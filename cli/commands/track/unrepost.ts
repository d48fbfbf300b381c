import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";

export default class TrackUnrepost extends AsixCommand {
  static description = "Undo a repost";
  static examples = [
    "<%= config.bin %> track unrepost 7eP5n",
    { description: '--json prints {"track": "7eP5n", "blockHash": "0x…", "blockNumber": 42, "transactionHash": "0x…"}', command: '<%= config.bin %> track unrepost 7eP5n --json' },
  ];
  static args = { track: Args.string({ description: "track id (hashid or integer)", required: true }) };

  async run() {
    const { args, flags } = await this.parse(TrackUnrepost);
    const result = await (await this.sdk(flags)).tracks.unrepost(args.track);
    this.log(`Removed the repost of track ${args.track} (block ${result.blockNumber})`);
    return { track: args.track, ...result };
  }
}
