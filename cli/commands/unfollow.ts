import { Args } from "@oclif/core";
import { AsixCommand } from "../base";

export default class Unfollow extends AsixCommand {
  static description = "Stop following a user";
  static examples = [
    "<%= config.bin %> unfollow alice",
    { description: '--json prints {"blockHash": "0x…", "blockNumber": 42, "transactionHash": "0x…", "followee": {"id": "Ab1Cd", "handle": "alice"}}', command: '<%= config.bin %> unfollow alice --json' },
  ];
  static args = { user: Args.string({ description: "handle (with or without @) or user id", required: true }) };

  async run() {
    const { args, flags } = await this.parse(Unfollow);
    const asix = await this.sdk(flags);
    const target = await this.findUser(asix, args.user);
    const result = await asix.users.unfollow(target.id);
    this.log(`No longer following @${target.handle} (block ${result.blockNumber})`);
    return { ...result, followee: { id: target.id, handle: target.handle } };
  }
}
