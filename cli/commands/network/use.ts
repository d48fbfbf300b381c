import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { DEVNET_NETWORK, useNetwork } from "../../networks";

export default class NetworkUse extends AsixCommand {
  static description = `Pick the network commands act on by default ("${DEVNET_NETWORK}": the devnet running here)`;
  static examples = [
    "<%= config.bin %> network use staging",
    { description: '--json prints {"current": "staging"}', command: `<%= config.bin %> network use ${DEVNET_NETWORK} --json` },
  ];
  static args = { name: Args.string({ description: "a profile name, or devnet", required: true }) };

  async run() {
    const { args } = await this.parse(NetworkUse);
    useNetwork(args.name);
    this.log(`Commands now act on network "${args.name}"`);
    return { current: args.name };
  }
}
