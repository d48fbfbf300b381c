import { Args, Flags } from "@oclif/core";
import { Wallet, type HDNodeWallet } from "ethers";
import { AsixCommand } from "../../base";
import { AsixError } from "../../../sdk/errors";
import { obtainPassword, saveAccount } from "../../keystore";

export default class AccountImport extends AsixCommand {
  static description = "Import a wallet from a private key or a mnemonic (read from ASIX_IMPORT_SECRET or --secret)";
  static examples = [
    "ASIX_IMPORT_SECRET=0xabc... <%= config.bin %> account import mykey",
    { description: '--json prints {"name": "mykey", "address": "0x…", "current": false}', command: '<%= config.bin %> account import mykey --json' },
  ];
  static args = { name: Args.string({ description: "a name for the account", required: true }) };
  static flags = {
    secret: Flags.string({ description: "private key (0x…) or mnemonic; prefer the environment variable, which stays out of shell history", env: "ASIX_IMPORT_SECRET" }),
    password: Flags.string({ description: "keystore password (or ASIX_PASSWORD, or a prompt)" }),
    force: Flags.boolean({ description: "replace an account of the same name" }),
  };

  async run() {
    const { args, flags } = await this.parse(AccountImport);
    const secret = flags.secret?.trim();
    if (!secret) throw new AsixError("INVALID_INPUT", "nothing to import: set ASIX_IMPORT_SECRET or --secret");
    let wallet: Wallet | HDNodeWallet;
    try {
      wallet = /^(0x)?[0-9a-fA-F]{64}$/.test(secret) ? new Wallet(secret.startsWith("0x") ? secret : `0x${secret}`) : Wallet.fromPhrase(secret);
    } catch {
      throw new AsixError("INVALID_INPUT", "the secret is neither a private key nor a valid mnemonic");
    }
    const password = await obtainPassword(flags.password, "Keystore password: ");
    const account = await saveAccount(args.name, wallet, password, flags.force);
    this.log(`Imported account ${account.name} ${account.address}`);
    return account;
  }
}
