import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { AsixError } from "../../../sdk/errors";
import { createGovernanceApi } from "../../../sdk/governance";
import { formatAudio, jsonSafe } from "../../../sdk/staking";

export default class GovernanceVote extends AsixCommand {
  static description = "Vote Yes or No on a proposal, weighted by your stake at the proposal's block";
  static examples = [
    "<%= config.bin %> governance vote 1 yes",
    { description: '--json prints {"transactionHash": "0x…", "blockNumber": 42, "proposalId": 1, "vote": "No", "voteMagnitude": "…"}', command: '<%= config.bin %> governance vote 1 No --json' },
  ];
  static args = {
    id: Args.integer({ description: "proposal id", required: true, min: 1 }),
    vote: Args.string({ description: "Yes or No", required: true }),
  };

  async run() {
    const { args, flags } = await this.parse(GovernanceVote);
    const choice = args.vote.toLowerCase() === "yes" ? "Yes" : args.vote.toLowerCase() === "no" ? "No" : undefined;
    if (!choice) throw new AsixError("INVALID_INPUT", `a vote is Yes or No, got ${JSON.stringify(args.vote)}`);
    const governance = createGovernanceApi((await this.sdk(flags)).client);
    const result = await governance.vote(args.id, choice);
    this.log(`Voted ${choice} on proposal ${args.id} with ${formatAudio(result.voteMagnitude)} (block ${result.blockNumber})`);
    return jsonSafe(result);
  }
}
