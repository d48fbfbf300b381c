import { Args, Flags } from "@oclif/core";
import { AsixCommand } from "../../base";
import { userLine } from "../../format";

export default class UserSearch extends AsixCommand {
  static description = "Search users by handle or name (prefix matching)";
  static examples = ["<%= config.bin %> user search ali --json"];
  static args = { query: Args.string({ description: "search words", required: true }) };
  static flags = { limit: Flags.integer({ description: "how many", default: 20, min: 1, max: 500 }) };

  async run() {
    const { args, flags } = await this.parse(UserSearch);
    const users = await (await this.sdk(flags)).users.search(args.query, { limit: flags.limit });
    for (const u of users) this.log(userLine(u));
    if (users.length === 0) this.log("No matches.");
    return users;
  }
}
