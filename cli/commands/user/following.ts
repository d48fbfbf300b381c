import { Args, Flags } from "@oclif/core";
import { AsixCommand } from "../../base";
import { userLine } from "../../format";

export default class UserFollowing extends AsixCommand {
  static description = "List the following of a user (default: your own)";
  static examples = ["<%= config.bin %> user following alice --json"];
  static args = { user: Args.string({ description: "handle or user id (default: the acting user)" }) };
  static flags = {
    limit: Flags.integer({ description: "how many", default: 100, min: 1, max: 500 }),
    offset: Flags.integer({ description: "skip this many", default: 0, min: 0 }),
  };

  async run() {
    const { args, flags } = await this.parse(UserFollowing);
    const asix = await this.sdk(flags);
    const userId = args.user ? (await this.findUser(asix, args.user)).id : await asix.whoami();
    const users = await asix.users.following(userId, { limit: flags.limit, offset: flags.offset });
    for (const u of users) this.log(userLine(u));
    if (users.length === 0) this.log("None.");
    return users;
  }
}
