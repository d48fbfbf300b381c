import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { userLine } from "../../format";

export default class UserInfo extends AsixCommand {
  static description = "Show a user (default: your own)";
  static examples = [
    "<%= config.bin %> user info",
    { description: '--json prints {"id": "Ab1Cd", "handle": "alice", "name": "Alice", "wallet": "0x…", "followerCount": 3, "trackCount": 1, "isVerified": false, ...}', command: '<%= config.bin %> user info alice --json' },
  ];
  static args = { user: Args.string({ description: "handle or user id (default: the acting user)" }) };

  async run() {
    const { args, flags } = await this.parse(UserInfo);
    const asix = await this.sdk(flags);
    const user = args.user ? await this.findUser(asix, args.user) : await asix.users.get(await asix.whoami());
    this.log(userLine(user));
    if (user.bio) this.log(`  ${user.bio}`);
    this.log(`  wallet ${user.wallet}${user.isVerified ? "  verified" : ""}`);
    return user;
  }
}
