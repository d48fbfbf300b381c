import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { createStakingApi, formatAudio } from "../../../sdk/staking";

export default class TokenBalance extends AsixCommand {
  static description = "AUDIO held by an address (default: the acting account), not counting stake";
  static examples = [
    "<%= config.bin %> token balance",
    { description: '--json prints {"address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "balance": "1500000000000000000", "balanceAudio": "1.5"}', command: '<%= config.bin %> token balance 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --json' },
  ];
  static args = {
    address: Args.string({ description: "0x address (default: the acting account)" }),
  };

  async run() {
    const { args, flags } = await this.parse(TokenBalance);
    const { client } = await this.sdk(flags);
    const staking = createStakingApi(client);
    const address = args.address ?? (await client.wallet!.getAddress());
    const balance = await staking.balanceOf(address);
    this.log(`${address}: ${formatAudio(balance)}`);
    return { address, balance: balance.toString(), balanceAudio: formatAudio(balance) };
  }
}
