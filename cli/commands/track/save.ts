import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";

export default class TrackSave extends AsixCommand {
  static description = "Save (favorite) a track";
  static examples = [
    "<%= config.bin %> track save 7eP5n",
    { description: '--json prints {"track": "7eP5n", "blockHash": "0x…", "blockNumber": 42, "transactionHash": "0x…"}', command: '<%= config.bin %> track save 7eP5n --json' },
  ];
  static args = { track: Args.string({ description: "track id (hashid or integer)", required: true }) };

  async run() {
    const { args, flags } = await this.parse(TrackSave);
    const result = await (await this.sdk(flags)).tracks.save(args.track);
    this.log(`Saved track ${args.track} (block ${result.blockNumber})`);
    return { track: args.track, ...result };
  }
}
