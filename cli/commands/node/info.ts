import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { createStakingApi, formatAudio, jsonSafe } from "../../../sdk/staking";

export default class NodeInfo extends AsixCommand {
  static description = "An operator's stake, bounds, nodes and pending requests (default: the acting account)";
  static examples = [
    "<%= config.bin %> node info",
    { description: '--json prints {"address": "0x…", "deployerStake": "…", "delegatedStake": "…", "totalStake": "…", "deployerCut": 10, "numberOfEndpoints": 1, "validBounds": true, "endpoints": [{"type": "content-node", "spId": 1, "endpoint": "…", ...}], ...} (amounts in wei)', command: '<%= config.bin %> node info 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC --json' },
  ];
  static args = {
    address: Args.string({ description: "operator 0x address or one of its node URLs (default: the acting account)" }),
  };

  async run() {
    const { args, flags } = await this.parse(NodeInfo);
    const staking = createStakingApi((await this.sdk(flags)).client);
    const address = args.address === undefined ? undefined : await staking.resolveServiceProvider(args.address);
    const sp = await staking.getServiceProvider(address);
    this.log(`${sp.address}`);
    this.log(`  own stake       ${formatAudio(sp.deployerStake)}`);
    this.log(`  delegated       ${formatAudio(sp.delegatedStake)}`);
    this.log(`  total stake     ${formatAudio(sp.totalStake)} (bounds ${formatAudio(sp.minAccountStake)} .. ${formatAudio(sp.maxAccountStake)}${sp.validBounds ? "" : ", OUT OF BOUNDS"})`);
    this.log(`  deployer cut    ${sp.deployerCut}%`);
    for (const e of sp.endpoints) this.log(`  ${e.type} ${e.spId}  ${e.endpoint}  (signs as ${e.delegateOwnerWallet})`);
    const pending = sp.pendingDecreaseStake;
    if (pending) this.log(`  decrease of ${formatAudio(pending.amount)} pending until block ${pending.lockupExpiryBlock} (${pending.blocksRemaining} blocks to go)`);
    return jsonSafe(sp);
  }
}
