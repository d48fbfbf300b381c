import { Flags } from "@oclif/core";
import { AsixCommand } from "../../base";
import { createGovernanceApi, type ProposeParameters } from "../../../sdk/governance";
import { jsonSafe } from "../../../sdk/staking";

export default class GovernancePropose extends AsixCommand {
  static description = "Propose a call to a registered contract (you need stake); stakers vote, then anyone evaluates";
  static examples = [
    `<%= config.bin %> governance propose --target ClaimsManager --function "updateFundingAmount(uint256)" --arg 20000000000000000000000 --name "More funding" --description "..."`,
    { description: '--json prints {"transactionHash": "0x…", "blockNumber": 42, "proposalId": 1, "votingEndBlock": 120, "earliestEvaluationBlock": 125}', command: '<%= config.bin %> governance propose --target DelegateManager --function "updateMaxDelegators(uint256)" --arg 200 --name "More delegators" --json' },
  ];
  static flags = {
    target: Flags.string({ description: "Registry key of the contract to call, e.g. ClaimsManager, DelegateManager, ServiceProviderFactory", required: true }),
    function: Flags.string({ description: 'function signature, e.g. "updateFundingAmount(uint256)"', required: true }),
    arg: Flags.string({ description: "an argument, in order (repeat for several; amounts in wei)", multiple: true, exclusive: ["calldata"] }),
    calldata: Flags.string({ description: "ABI-encoded arguments (0x..., without the selector) instead of --arg" }),
    name: Flags.string({ description: "short title", required: true }),
    description: Flags.string({ description: "what and why", default: "" }),
  };

  async run() {
    const { flags } = await this.parse(GovernancePropose);
    const governance = createGovernanceApi((await this.sdk(flags)).client);
    const common = { target: flags.target, functionSignature: flags.function, name: flags.name, description: flags.description };
    const params: ProposeParameters = flags.calldata !== undefined ? { ...common, callData: flags.calldata } : { ...common, args: flags.arg ?? [] };
    const result = await governance.propose(params);
    const proposal = await governance.get(result.proposalId);
    this.log(`Proposal ${result.proposalId} submitted (block ${result.blockNumber}); voting until block ${proposal.votingEndBlock}, evaluation from block ${proposal.earliestEvaluationBlock}`);
    return jsonSafe({ ...result, votingEndBlock: proposal.votingEndBlock, earliestEvaluationBlock: proposal.earliestEvaluationBlock });
  }
}
