import { Args, Flags } from "@oclif/core";
import { AsixCommand } from "../base";
import { AsixError } from "../../sdk/errors";
import { createStakingApi, formatAudio, jsonSafe, parseAudio } from "../../sdk/staking";

export default class Undelegate extends AsixCommand {
  static description = "Ask to withdraw a delegation after the lockup; --finish withdraws it once the lockup has ended, --cancel drops the request";
  static examples = [
    "<%= config.bin %> undelegate 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC 500",
    "<%= config.bin %> undelegate --cancel",
    { description: '--json prints {"transactionHash": "0x…", "blockNumber": 42, "serviceProvider": "0x…", "amount": "…"} (a request adds "lockupExpiryBlock")', command: '<%= config.bin %> undelegate --finish --json' },
  ];
  static args = {
    sp: Args.string({ description: "the operator's 0x address, or one of its node URLs" }),
    amount: Args.string({ description: "AUDIO to withdraw" }),
  };
  static flags = {
    finish: Flags.boolean({ description: "withdraw the requested delegation (after the lockup)", exclusive: ["cancel"] }),
    cancel: Flags.boolean({ description: "cancel the pending request", exclusive: ["finish"] }),
  };

  async run() {
    const { args, flags } = await this.parse(Undelegate);
    const settle = flags.finish || flags.cancel;
    if (settle && args.sp !== undefined) throw new AsixError("INVALID_INPUT", "--finish and --cancel take no service provider or amount");
    if (!settle && (args.sp === undefined || args.amount === undefined)) {
      throw new AsixError("INVALID_INPUT", "usage: asix undelegate <sp> <AUDIO>, or asix undelegate --finish (or --cancel)");
    }
    const amount = args.amount === undefined ? undefined : parseAudio(args.amount);
    const staking = createStakingApi((await this.sdk(flags)).client);
    if (flags.finish) {
      const result = await staking.undelegate();
      this.log(`Withdrew ${formatAudio(result.amount)} from ${result.serviceProvider} (block ${result.blockNumber})`);
      return jsonSafe(result);
    }
    if (flags.cancel) {
      const result = await staking.cancelUndelegate();
      this.log(`Cancelled the withdrawal of ${formatAudio(result.amount)} from ${result.serviceProvider} (block ${result.blockNumber})`);
      return jsonSafe(result);
    }
    const result = await staking.requestUndelegate(await staking.resolveServiceProvider(args.sp!), amount!);
    this.log(`Requested to withdraw ${formatAudio(result.amount)} from ${result.serviceProvider}; run \`asix undelegate --finish\` from block ${result.lockupExpiryBlock}`);
    return jsonSafe(result);
  }
}
