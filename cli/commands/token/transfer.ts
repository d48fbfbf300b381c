import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { createStakingApi, formatAudio, jsonSafe, parseAudio } from "../../../sdk/staking";

export default class TokenTransfer extends AsixCommand {
  static description = "Send AUDIO from the acting account";
  static examples = [
    "<%= config.bin %> token transfer 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 1000 --account 0",
    { description: '--json prints {"transactionHash": "0x…", "blockNumber": 42, "from": "0x…", "to": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "amount": "1500000000000000000"}', command: '<%= config.bin %> token transfer 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 1.5 --json' },
  ];
  static args = {
    to: Args.string({ description: "recipient 0x address", required: true }),
    amount: Args.string({ description: "AUDIO, e.g. 200000 or 1.5", required: true }),
  };

  async run() {
    const { args, flags } = await this.parse(TokenTransfer);
    const amount = parseAudio(args.amount);
    const staking = createStakingApi((await this.sdk(flags)).client);
    const result = await staking.transfer(args.to, amount);
    this.log(`Sent ${formatAudio(amount)} to ${result.to} (block ${result.blockNumber})`);
    return jsonSafe(result);
  }
}
