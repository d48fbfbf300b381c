import { AsixCommand } from "../../base";
import { createGovernanceApi } from "../../../sdk/governance";
import { jsonSafe } from "../../../sdk/staking";

export default class GovernanceList extends AsixCommand {
  static description = "Every proposal with its call, votes and outcome";
  static examples = ["<%= config.bin %> governance list", "<%= config.bin %> governance list --json"];

  async run() {
    const { flags } = await this.parse(GovernanceList);
    const governance = createGovernanceApi((await this.sdk(flags)).client);
    const proposals = await governance.list();
    for (const p of proposals) {
      this.log(`${String(p.proposalId).padStart(3)}  ${p.outcome.padEnd(23)} ${p.name}  ->  ${p.target}.${p.functionSignature}  (${p.numVotes} votes)`);
    }
    if (proposals.length === 0) this.log("No proposals yet");
    return jsonSafe(proposals);
  }
}
