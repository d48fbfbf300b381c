import { AsixCommand } from "../../base";
import { createGovernanceApi } from "../../../sdk/governance";
import { jsonSafe } from "../../../sdk/staking";
import { PAGE_SHAPE, pageFlags, slicePage } from "../../paging";

export default class GovernanceList extends AsixCommand {
  static description = "Every proposal with its call, votes and outcome";
  static examples = [
    "<%= config.bin %> governance list",
    {
      description: `--json prints ${PAGE_SHAPE('{"proposalId": 1, "name": "…", "target": "DelegateManager", "functionSignature": "…", "outcome": "InProgress", "numVotes": 0, ...}')}`,
      command: "<%= config.bin %> governance list --json",
    },
  ];
  static flags = pageFlags(100);

  async run() {
    const { flags } = await this.parse(GovernanceList);
    const governance = createGovernanceApi((await this.sdk(flags)).client);
    const proposals = await governance.list();
    const shown = slicePage(proposals, flags);
    for (const p of shown.data) {
      this.log(`${String(p.proposalId).padStart(3)}  ${p.outcome.padEnd(23)} ${p.name}  ->  ${p.target}.${p.functionSignature}  (${p.numVotes} votes)`);
    }
    if (proposals.length === 0) this.log("No proposals yet");
    return { ...shown, data: jsonSafe(shown.data) };
  }
}
