import { Args, Flags } from "@oclif/core";
import { AsixCommand } from "../../base";
import { AsixError } from "../../../sdk/errors";
import { createStakingApi, formatAudio, jsonSafe, parseAudio } from "../../../sdk/staking";

export default class NodeUnstake extends AsixCommand {
  static description = "Ask to withdraw own stake after the lockup; --finish withdraws it once the lockup has ended, --cancel drops the request";
  static examples = [
    "<%= config.bin %> node unstake 50000",
    "<%= config.bin %> node unstake --cancel",
    { description: '--json prints {"transactionHash": "0x…", "blockNumber": 42, "amount": "50000000000000000000000", "newStakeAmount": "…"} (a request adds "lockupExpiryBlock"; amounts in wei)', command: '<%= config.bin %> node unstake --finish --json' },
  ];
  static args = {
    amount: Args.string({ description: "AUDIO to withdraw (omit with --finish or --cancel)" }),
  };
  static flags = {
    finish: Flags.boolean({ description: "withdraw the requested stake (after the lockup)", exclusive: ["cancel"] }),
    cancel: Flags.boolean({ description: "cancel the pending request", exclusive: ["finish"] }),
  };

  async run() {
    const { args, flags } = await this.parse(NodeUnstake);
    if ((flags.finish || flags.cancel) && args.amount !== undefined) {
      throw new AsixError("INVALID_INPUT", "give an amount, or --finish, or --cancel");
    }
    if (!flags.finish && !flags.cancel && args.amount === undefined) {
      throw new AsixError("INVALID_INPUT", "how much? asix node unstake <AUDIO> (or --finish / --cancel)");
    }
    const amount = args.amount === undefined ? undefined : parseAudio(args.amount);
    const staking = createStakingApi((await this.sdk(flags)).client);
    if (flags.finish) {
      const result = await staking.decreaseStake();
      this.log(`Withdrew ${formatAudio(result.amount)}; own stake now ${formatAudio(result.newStakeAmount)} (block ${result.blockNumber})`);
      return jsonSafe(result);
    }
    if (flags.cancel) {
      const result = await staking.cancelDecreaseStake();
      this.log(`Cancelled the decrease of ${formatAudio(result.amount)} (block ${result.blockNumber})`);
      return jsonSafe(result);
    }
    const result = await staking.requestDecreaseStake(amount!);
    this.log(`Requested to withdraw ${formatAudio(result.amount)}; run \`asix node unstake --finish\` from block ${result.lockupExpiryBlock}`);
    return jsonSafe(result);
  }
}
