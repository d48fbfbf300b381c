import { Args, Flags } from "@oclif/core";
import { AsixCommand } from "../../base";
import { AsixError } from "../../../sdk/errors";
import { createStakingApi, jsonSafe } from "../../../sdk/staking";

export default class NodeCut extends AsixCommand {
  static description = "Ask to change your deployer cut (percent of your delegators' rewards you keep) after the lockup; --finish applies it";
  static examples = [
    "<%= config.bin %> node cut 10",
    { description: '--json prints {"transactionHash": "0x…", "blockNumber": 42, "cut": 10} (a request adds "lockupExpiryBlock")', command: '<%= config.bin %> node cut --finish --json' },
  ];
  static args = {
    percent: Args.integer({ description: "whole percent, 0..100", min: 0, max: 100 }),
  };
  static flags = {
    finish: Flags.boolean({ description: "apply the requested cut (after the lockup)" }),
  };

  async run() {
    const { args, flags } = await this.parse(NodeCut);
    if (flags.finish === (args.percent !== undefined)) throw new AsixError("INVALID_INPUT", "usage: asix node cut <percent>, or asix node cut --finish");
    const staking = createStakingApi((await this.sdk(flags)).client);
    if (flags.finish) {
      const result = await staking.updateDeployerCut();
      this.log(`Deployer cut is now ${result.cut}% (block ${result.blockNumber})`);
      return jsonSafe(result);
    }
    const result = await staking.requestUpdateDeployerCut(args.percent!);
    this.log(`Requested a ${result.cut}% deployer cut; run \`asix node cut --finish\` from block ${result.lockupExpiryBlock}`);
    return jsonSafe(result);
  }
}
