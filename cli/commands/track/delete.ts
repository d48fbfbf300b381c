import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";

export default class TrackDelete extends AsixCommand {
  static description = "Delete one of your tracks";
  static examples = [
    "<%= config.bin %> track delete 7eP5n",
    { description: '--json prints {"track": "7eP5n", "blockHash": "0x…", "blockNumber": 42, "transactionHash": "0x…"}', command: '<%= config.bin %> track delete 7eP5n --json' },
  ];
  static args = { track: Args.string({ description: "track id (hashid or integer)", required: true }) };

  async run() {
    const { args, flags } = await this.parse(TrackDelete);
    const result = await (await this.sdk(flags)).tracks.delete(args.track);
    this.log(`Deleted track ${args.track} (block ${result.blockNumber})`);
    return { track: args.track, ...result };
  }
}
