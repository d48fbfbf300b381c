import { Args, Flags } from "@oclif/core";
import { AsixCommand } from "../../base";
import { obtainPassword, openAccount } from "../../keystore";

export default class AccountExport extends AsixCommand {
  static description = "Print an account's private key (after its keystore password)";
  static examples = [
    { description: '--json prints {"name": "artist", "address": "0x…", "privateKey": "0x…"}', command: '<%= config.bin %> account export artist --json' },
  ];
  static args = { name: Args.string({ description: "account name", required: true }) };
  static flags = { password: Flags.string({ description: "keystore password (or ASIX_PASSWORD, or a prompt)" }) };

  async run() {
    const { args, flags } = await this.parse(AccountExport);
    const wallet = await openAccount(args.name, await obtainPassword(flags.password, "Keystore password: "));
    this.log(wallet.privateKey);
    return { name: args.name, address: wallet.address, privateKey: wallet.privateKey };
  }
}
