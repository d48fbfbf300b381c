import { AsixCommand } from "../../base";
import { createStakingApi, formatAudio, jsonSafe } from "../../../sdk/staking";

export default class RewardsRound extends AsixCommand {
  static description = "Start the next funding round (anyone may, once per round interval)";
  static examples = [
    { description: '--json prints {"transactionHash": "0x…", "blockNumber": 42, "round": 3, "fundedAmount": "…"} (wei)', command: '<%= config.bin %> rewards round --json' },
  ];

  async run() {
    const { flags } = await this.parse(RewardsRound);
    const staking = createStakingApi((await this.sdk(flags)).client);
    const result = await staking.initiateRound();
    this.log(`Round ${result.round} started with ${formatAudio(result.fundedAmount)} (block ${result.blockNumber})`);
    return jsonSafe(result);
  }
}
