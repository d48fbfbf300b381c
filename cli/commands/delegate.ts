import { Args, Flags } from "@oclif/core";
import { AsixCommand } from "../base";
import { createStakingApi, formatAudio, jsonSafe, parseAudio } from "../../sdk/staking";

export default class Delegate extends AsixCommand {
  static description = "Delegate AUDIO to a service provider (one transaction; --gasless: the identity service pays the gas)";
  static examples = [
    "<%= config.bin %> delegate 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC 1000",
    "<%= config.bin %> delegate http://127.0.0.1:4001 500 --gasless",
    { description: '--json prints {"transactionHash": "0x…", "blockNumber": 42, "serviceProvider": "0x…", "amount": "500000000000000000000", ...}', command: '<%= config.bin %> delegate http://127.0.0.1:4001 500 --json' },
  ];
  static args = {
    sp: Args.string({ description: "the operator's 0x address, or one of its node URLs", required: true }),
    amount: Args.string({ description: "AUDIO, e.g. 1000", required: true }),
  };
  static flags = {
    gasless: Flags.boolean({ description: "only sign; the identity service's eth relay sends it and pays the gas (for a wallet with AUDIO but no ETH)" }),
  };

  async run() {
    const { args, flags } = await this.parse(Delegate);
    const amount = parseAudio(args.amount);
    const staking = createStakingApi((await this.sdk(flags)).client);
    const result = await staking.delegate(await staking.resolveServiceProvider(args.sp), amount, { gasless: flags.gasless });
    this.log(`Delegated ${formatAudio(amount)} to ${result.serviceProvider}; your delegation is ${formatAudio(result.delegatedAmount)} (block ${result.blockNumber})`);
    return jsonSafe(result);
  }
}
