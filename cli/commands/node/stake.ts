import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { createStakingApi, formatAudio, jsonSafe, parseAudio } from "../../../sdk/staking";

export default class NodeStake extends AsixCommand {
  static description = "Add to your own stake (one transaction)";
  static examples = ["<%= config.bin %> node stake 50000", "<%= config.bin %> node stake 1.5 --json"];
  static args = {
    amount: Args.string({ description: "AUDIO to add", required: true }),
  };

  async run() {
    const { args, flags } = await this.parse(NodeStake);
    const amount = parseAudio(args.amount);
    const staking = createStakingApi((await this.sdk(flags)).client);
    const result = await staking.increaseStake(amount);
    this.log(`Staked ${formatAudio(amount)}; own stake now ${formatAudio(result.newStakeAmount)} (block ${result.blockNumber})`);
    return jsonSafe(result);
  }
}
