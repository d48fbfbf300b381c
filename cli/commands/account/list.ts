import { AsixCommand } from "../../base";
import { listAccounts } from "../../keystore";
import { PAGE_SHAPE, pageFlags, slicePage } from "../../paging";

export default class AccountList extends AsixCommand {
  static description = "List the accounts in your config dir";
  static examples = [{ description: `--json prints ${PAGE_SHAPE('{"name": "artist", "address": "0x…", "current": true}')}`, command: "<%= config.bin %> account list --json" }];
  static flags = pageFlags(100);

  async run() {
    const { flags } = await this.parse(AccountList);
    const accounts = listAccounts();
    const shown = slicePage(accounts, flags);
    for (const a of shown.data) this.log(`${a.current ? "*" : " "} ${a.name.padEnd(24)} ${a.address}`);
    if (accounts.length === 0) this.log("No accounts yet: asix account create <name>");
    return shown;
  }
}
