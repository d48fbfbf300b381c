import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { createStakingApi, jsonSafe, SERVICE_TYPES } from "../../../sdk/staking";

export default class NodeUpdateEndpoint extends AsixCommand {
  static description = "Move one of your nodes to a new URL (its spId stays)";
  static examples = [
    { description: '--json prints {"transactionHash": "0x…", "blockNumber": 42, "spId": 1, "type": "content-node", "oldEndpoint": "https://old.example.com", "newEndpoint": "https://new.example.com"}', command: '<%= config.bin %> node update-endpoint content-node https://old.example.com https://new.example.com --json' },
  ];
  static args = {
    type: Args.string({ description: "service type", options: [...SERVICE_TYPES], required: true }),
    old: Args.string({ description: "current endpoint", required: true }),
    new: Args.string({ description: "new endpoint", required: true }),
  };

  async run() {
    const { args, flags } = await this.parse(NodeUpdateEndpoint);
    const staking = createStakingApi((await this.sdk(flags)).client);
    const result = await staking.updateEndpoint({ type: args.type as (typeof SERVICE_TYPES)[number], oldEndpoint: args.old, newEndpoint: args.new });
    this.log(`spId ${result.spId} now at ${args.new} (block ${result.blockNumber})`);
    return jsonSafe({ ...result, type: args.type, oldEndpoint: args.old, newEndpoint: args.new });
  }
}
