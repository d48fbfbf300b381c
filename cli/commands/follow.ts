import { Args } from "@oclif/core";
import { AsixCommand } from "../base";

export default class Follow extends AsixCommand {
  static description = "Follow a user by handle (or id)";
  static examples = [
    "<%= config.bin %> follow alice",
    { description: '--json prints {"blockHash": "0x…", "blockNumber": 42, "transactionHash": "0x…", "followee": {"id": "Ab1Cd", "handle": "alice"}}', command: '<%= config.bin %> follow @alice --json' },
  ];
  static args = {
    user: Args.string({ description: "handle (with or without @) or user id", required: true }),
  };

  async run() {
    const { args, flags } = await this.parse(Follow);
    const asix = await this.sdk(flags);
    const target = await this.findUser(asix, args.user);
    const result = await asix.users.follow(target.id);
    this.log(`Now following @${target.handle} (block ${result.blockNumber})`);
    return { ...result, followee: { id: target.id, handle: target.handle } };
  }
}
