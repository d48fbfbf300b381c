import { Flags } from "@oclif/core";
import { AsixCommand } from "../base";

export default class Verify extends AsixCommand {
  static description = "Verify your user with a social account (OAuth); on the devnet, --as picks the devnet provider's account";
  static examples = [
    "<%= config.bin %> verify --as devnet-artist",
    "<%= config.bin %> verify --url-only",
    { description: '--json prints {"providerSubject": "…", "blockHash": "0x…", "blockNumber": 42, "transactionHash": "0x…"} (with --url-only: {"url": "…"})', command: '<%= config.bin %> verify --as devnet-artist --json' },
  ];
  static flags = {
    as: Flags.string({ description: "the provider account to verify with (login hint); the devnet has devnet-artist (verified) and devnet-fan (not)" }),
    "url-only": Flags.boolean({ description: "print the URL to open in a browser, and stop" }),
  };

  async run() {
    const { flags } = await this.parse(Verify);
    const asix = await this.sdk(flags);
    if (flags["url-only"] || !flags.as) {
      const url = await asix.users.getVerificationUrl({ loginHint: flags.as });
      this.log(`Open this URL in a browser to verify:\n${url}`);
      return { url };
    }
    const result = await asix.users.verify({ loginHint: flags.as });
    this.log(`Verified as ${result.providerSubject} (block ${result.blockNumber})`);
    return result;
  }
}
