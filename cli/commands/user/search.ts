import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { userLine } from "../../format";
import { page, pageFlags, PAGE_SHAPE } from "../../paging";

export default class UserSearch extends AsixCommand {
  static description = "Search users by handle or name (prefix matching)";
  static examples = [{ description: `--json prints ${PAGE_SHAPE('{"id": "Ab1Cd", "handle": "alice", "name": "Alice", ...}')}`, command: "<%= config.bin %> user search ali --json" }];
  static args = { query: Args.string({ description: "search words", required: true }) };
  static flags = pageFlags(20);

  async run() {
    const { args, flags } = await this.parse(UserSearch);
    const users = await (await this.sdk(flags)).users.search(args.query, { limit: flags.limit, offset: flags.offset });
    for (const u of users) this.log(userLine(u));
    if (users.length === 0) this.log("No matches.");
    return page(users, flags);
  }
}
