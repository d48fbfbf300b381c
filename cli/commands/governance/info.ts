import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { createGovernanceApi } from "../../../sdk/governance";
import { formatAudio, jsonSafe } from "../../../sdk/staking";

export default class GovernanceInfo extends AsixCommand {
  static description = "One proposal: its call, votes, outcome and the blocks that matter";
  static examples = [
    { description: '--json prints {"proposalId": 1, "proposer": "0x…", "name": "…", "target": "DelegateManager", "functionSignature": "…", "outcome": "InProgress", "voteMagnitudeYes": "…", "voteMagnitudeNo": "0", "numVotes": 1, ...} (amounts in wei)', command: '<%= config.bin %> governance info 1 --json' },
  ];
  static args = {
    id: Args.integer({ description: "proposal id", required: true, min: 1 }),
  };

  async run() {
    const { args, flags } = await this.parse(GovernanceInfo);
    const p = await createGovernanceApi((await this.sdk(flags)).client).get(args.id);
    this.log(`Proposal ${p.proposalId}: ${p.name} (${p.outcome})`);
    if (p.description) this.log(`  ${p.description}`);
    this.log(`  call      ${p.target}.${p.functionSignature} ${p.callData}`);
    this.log(`  votes     Yes ${formatAudio(p.voteMagnitudeYes)}, No ${formatAudio(p.voteMagnitudeNo)} (${p.numVotes})`);
    this.log(`  blocks    proposed ${p.submissionBlockNumber}, voting until ${p.votingEndBlock}, evaluation from ${p.earliestEvaluationBlock}`);
    return jsonSafe(p);
  }
}
