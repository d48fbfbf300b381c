import { Args, Flags } from "@oclif/core";
import { AsixCommand } from "../../base";
import { AsixError } from "../../../sdk/errors";
import { createStakingApi, formatAudio, jsonSafe, parseAudio, SERVICE_TYPES } from "../../../sdk/staking";

export default class NodeRegister extends AsixCommand {
  static description = "Register a node you run, with stake behind it (one transaction)";
  static examples = [
    "<%= config.bin %> node register content-node https://cn1.example.com --stake 200000",
    { description: '--json prints {"transactionHash": "0x…", "blockNumber": 42, "spId": 1, "type": "discovery-node", "endpoint": "https://dn.example.com", "stake": "250000000000000000000000"}', command: '<%= config.bin %> node register discovery-node https://dn.example.com --stake 250000 --json' },
  ];
  static args = {
    type: Args.string({ description: "service type", options: [...SERVICE_TYPES], required: true }),
    endpoint: Args.string({ description: "the node's public URL", required: true }),
  };
  static flags = {
    stake: Flags.string({ description: "AUDIO to add to your stake, e.g. 200000", required: true }),
    "delegate-wallet": Flags.string({ description: "the wallet the node signs with (default: you)" }),
  };

  async run() {
    const { args, flags } = await this.parse(NodeRegister);
    if (!this.network(flags).devnet && !args.endpoint.startsWith("https://")) {
      throw new AsixError("INVALID_INPUT", `a node on network "${this.network(flags).name}" must be registered with an https:// endpoint, not ${args.endpoint}: serve it with TLS (asix node run --tls-cert/--tls-key, or behind a TLS proxy)`);
    }
    const stake = parseAudio(flags.stake, "--stake");
    const staking = createStakingApi((await this.sdk(flags)).client);
    const result = await staking.register({
      type: args.type as (typeof SERVICE_TYPES)[number],
      endpoint: args.endpoint,
      stake,
      delegateOwnerWallet: flags["delegate-wallet"],
    });
    this.log(`Registered ${result.type} ${result.endpoint} as spId ${result.spId} with ${formatAudio(stake)} (block ${result.blockNumber})`);
    return jsonSafe(result);
  }
}
