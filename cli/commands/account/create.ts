import { Args, Flags } from "@oclif/core";
import { Wallet } from "ethers";
import { AsixCommand } from "../../base";
import { obtainPassword, saveAccount } from "../../keystore";

export default class AccountCreate extends AsixCommand {
  static description = "Create a new wallet, saved as an encrypted keystore in your config dir";
  static examples = [
    "<%= config.bin %> account create artist",
    { description: '--json prints {"name": "artist", "address": "0x…", "current": true}', command: '<%= config.bin %> account create artist --json' },
  ];
  static args = { name: Args.string({ description: "a name for the account", required: true }) };
  static flags = { password: Flags.string({ description: "keystore password (or ASIX_PASSWORD, or a prompt)" }) };

  async run() {
    const { args, flags } = await this.parse(AccountCreate);
    const password = await obtainPassword(flags.password, "New keystore password: ");
    const account = await saveAccount(args.name, Wallet.createRandom(), password);
    this.log(`Created account ${account.name} ${account.address}${account.current ? " (in use)" : ""}`);
    return account;
  }
}
