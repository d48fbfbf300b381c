import { AsixCommand } from "../../base";
import { listAccounts } from "../../keystore";

export default class AccountList extends AsixCommand {
  static description = "List the accounts in your config dir";
  static examples = ["<%= config.bin %> account list --json"];

  async run() {
    await this.parse(AccountList);
    const accounts = listAccounts();
    for (const a of accounts) this.log(`${a.current ? "*" : " "} ${a.name.padEnd(24)} ${a.address}`);
    if (accounts.length === 0) this.log("No accounts yet: asix account create <name>");
    return accounts;
  }
}
