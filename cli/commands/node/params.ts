import { AsixCommand } from "../../base";
import { createStakingApi, formatAudio, jsonSafe, SERVICE_TYPES } from "../../../sdk/staking";

export default class NodeParams extends AsixCommand {
  static description = "Stake bounds, lockups, delegation limits, round funding and governance periods, as Governance has set them";
  static examples = [
    "<%= config.bin %> node params",
    { description: '--json prints {"serviceTypes": {"content-node": {"minStake": "200000000000000000000000", "maxStake": "…", "isValid": true}, ...}, "decreaseStakeLockup": 10, "minDelegation": "…", "fundingRoundBlocks": 10, "votingPeriod": 10, ...} (amounts in wei, as strings)', command: '<%= config.bin %> node params --json' },
  ];

  async run() {
    const { flags } = await this.parse(NodeParams);
    const p = await createStakingApi((await this.sdk(flags)).client).getParameters();
    for (const type of SERVICE_TYPES) {
      const t = p.serviceTypes[type];
      this.log(`${type.padEnd(16)} stake ${formatAudio(t.minStake)} .. ${formatAudio(t.maxStake)} per node${t.isValid ? "" : " (removed)"}`);
    }
    this.log(`lockups          decrease ${p.decreaseStakeLockup}, undelegate ${p.undelegateLockup}, deployer cut ${p.deployerCutLockup}, remove delegator ${p.removeDelegatorLockup} blocks`);
    this.log(`delegation       at least ${formatAudio(p.minDelegation)}, at most ${p.maxDelegators} delegators per operator`);
    this.log(`rounds           ${formatAudio(p.fundingAmount)} every ${p.fundingRoundBlocks} blocks (round ${p.roundNumber}, started at block ${p.lastFundedBlock})`);
    this.log(`governance       voting ${p.votingPeriod} blocks, then ${p.executionDelay} blocks delay, quorum ${p.quorumPercent}%`);
    return jsonSafe(p);
  }
}
