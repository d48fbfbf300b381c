import { Args, Flags } from "@oclif/core";
import { AsixCommand } from "../../base";
import { createStakingApi, formatAudio, jsonSafe, parseAudio } from "../../../sdk/staking";

export default class NodeStake extends AsixCommand {
  static description = "Add to your own stake (one transaction; --gasless: the identity service pays the gas)";
  static examples = [
    "<%= config.bin %> node stake 50000",
    "<%= config.bin %> node stake 1000 --gasless",
    { description: '--json prints {"transactionHash": "0x…", "blockNumber": 42, "amount": "1500000000000000000", "newStakeAmount": "…"}', command: '<%= config.bin %> node stake 1.5 --json' },
  ];
  static args = {
    amount: Args.string({ description: "AUDIO to add", required: true }),
  };
  static flags = {
    gasless: Flags.boolean({ description: "only sign; the identity service's eth relay sends it and pays the gas (for a wallet with AUDIO but no ETH)" }),
  };

  async run() {
    const { args, flags } = await this.parse(NodeStake);
    const amount = parseAudio(args.amount);
    const staking = createStakingApi((await this.sdk(flags)).client);
    const result = await staking.increaseStake(amount, { gasless: flags.gasless });
    this.log(`Staked ${formatAudio(amount)}; own stake now ${formatAudio(result.newStakeAmount)} (block ${result.blockNumber})`);
    return jsonSafe(result);
  }
}
