import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { createStakingApi, formatAudio, jsonSafe, SERVICE_TYPES } from "../../../sdk/staking";

export default class NodeDeregister extends AsixCommand {
  static description = "Deregister one of your nodes (your last node queues your whole stake for `node unstake --finish`)";
  static examples = [
    { description: '--json prints {"transactionHash": "0x…", "blockNumber": 42, "spId": 1, "unstakeAmount": "200000000000000000000000"}', command: '<%= config.bin %> node deregister content-node https://cn1.example.com --json' },
  ];
  static args = {
    type: Args.string({ description: "service type", options: [...SERVICE_TYPES], required: true }),
    endpoint: Args.string({ description: "the node's endpoint", required: true }),
  };

  async run() {
    const { args, flags } = await this.parse(NodeDeregister);
    const staking = createStakingApi((await this.sdk(flags)).client);
    const result = await staking.deregister({ type: args.type as (typeof SERVICE_TYPES)[number], endpoint: args.endpoint });
    const queued = result.unstakeAmount > 0n ? `; ${formatAudio(result.unstakeAmount)} queued for withdrawal` : "";
    this.log(`Deregistered spId ${result.spId} (block ${result.blockNumber})${queued}`);
    return jsonSafe(result);
  }
}
