import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { listAccounts, useAccount } from "../../keystore";

export default class AccountUse extends AsixCommand {
  static description = "Act as this account from now on (unless --account or --private-key says otherwise)";
  static examples = [
    "<%= config.bin %> account use artist",
    { description: '--json prints {"name": "artist", "address": "0x…", "current": true}', command: '<%= config.bin %> account use artist --json' },
  ];
  static args = { name: Args.string({ description: "account name", required: true }) };

  async run() {
    const { args } = await this.parse(AccountUse);
    useAccount(args.name);
    const account = listAccounts().find((a) => a.name === args.name)!;
    this.log(`Using ${account.name} ${account.address}`);
    return account;
  }
}
