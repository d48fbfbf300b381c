import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { userLine } from "../../format";
import { page, pageFlags, PAGE_SHAPE } from "../../paging";

export default class UserFollowers extends AsixCommand {
  static description = "List the followers of a user (default: your own)";
  static examples = [{ description: `--json prints ${PAGE_SHAPE('{"id": "Ab1Cd", "handle": "alice", "name": "Alice", ...}')}`, command: "<%= config.bin %> user followers alice --json" }];
  static args = { user: Args.string({ description: "handle or user id (default: the acting user)" }) };
  static flags = pageFlags(100);

  async run() {
    const { args, flags } = await this.parse(UserFollowers);
    const asix = await this.sdk(flags);
    const userId = args.user ? (await this.findUser(asix, args.user)).id : await asix.whoami();
    const users = await asix.users.followers(userId, { limit: flags.limit, offset: flags.offset });
    for (const u of users) this.log(userLine(u));
    if (users.length === 0) this.log("None.");
    return page(users, flags);
  }
}
