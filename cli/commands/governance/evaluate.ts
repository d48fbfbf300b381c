import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { createGovernanceApi } from "../../../sdk/governance";
import { formatAudio, jsonSafe } from "../../../sdk/staking";

export default class GovernanceEvaluate extends AsixCommand {
  static description = "Settle a proposal after its voting period and execution delay; an approved proposal's call runs";
  static examples = [
    { description: '--json prints {"transactionHash": "0x…", "blockNumber": 42, "proposalId": 1, "outcome": "ApprovedExecuted", "numVotes": 3, ...}', command: '<%= config.bin %> governance evaluate 1 --json' },
  ];
  static args = {
    id: Args.integer({ description: "proposal id", required: true, min: 1 }),
  };

  async run() {
    const { args, flags } = await this.parse(GovernanceEvaluate);
    const governance = createGovernanceApi((await this.sdk(flags)).client);
    const result = await governance.evaluate(args.id);
    if (result.executionError) this.log(`Proposal ${args.id} was approved but its call reverted: ${result.executionError}`);
    this.log(`Proposal ${args.id}: ${result.outcome} (Yes ${formatAudio(result.voteMagnitudeYes)}, No ${formatAudio(result.voteMagnitudeNo)}, ${result.numVotes} votes), block ${result.blockNumber}`);
    return jsonSafe(result);
  }
}
