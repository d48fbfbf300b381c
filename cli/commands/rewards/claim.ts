import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { createStakingApi, formatAudio, jsonSafe } from "../../../sdk/staking";

export default class RewardsClaim extends AsixCommand {
  static description = "Claim a service provider's reward for the current round (default: your own); it is split with its delegators";
  static examples = [
    "<%= config.bin %> rewards claim",
    { description: '--json prints {"transactionHash": "0x…", "blockNumber": 42, "serviceProvider": "0x…", "round": 3, "rewards": "…", "deployerReward": "…", "delegatorsReward": "…"} (wei)', command: '<%= config.bin %> rewards claim 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC --json' },
  ];
  static args = {
    sp: Args.string({ description: "the operator's 0x address or one of its node URLs (default: the acting account)" }),
  };

  async run() {
    const { args, flags } = await this.parse(RewardsClaim);
    const staking = createStakingApi((await this.sdk(flags)).client);
    const sp = args.sp === undefined ? undefined : await staking.resolveServiceProvider(args.sp);
    const result = await staking.claimRewards(sp);
    this.log(
      `Round ${result.round}: ${formatAudio(result.rewards)} to ${result.serviceProvider} ` +
        `(operator ${formatAudio(result.deployerReward)}, delegators ${formatAudio(result.delegatorsReward)}), block ${result.blockNumber}`,
    );
    return jsonSafe(result);
  }
}
