import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { PAGE_SHAPE, pageFlags, slicePage } from "../../paging";
import { createStakingApi, SERVICE_TYPES, type ServiceEndpoint } from "../../../sdk/staking";

export default class NodeList extends AsixCommand {
  static description = "Registered nodes, from the eth chain";
  static examples = [
    "<%= config.bin %> node list",
    {
      description: `--json prints ${PAGE_SHAPE('{"type": "content-node", "spId": 1, "endpoint": "https://cn1.example.com", "owner": "0x…", "delegateOwnerWallet": "0x…"}')}`,
      command: "<%= config.bin %> node list content-node --json",
    },
  ];
  static flags = pageFlags(100);
  static args = {
    type: Args.string({ description: "service type (default: both)", options: [...SERVICE_TYPES] }),
  };

  async run() {
    const { args, flags } = await this.parse(NodeList);
    const staking = createStakingApi((await this.sdk(flags)).client);
    const types = args.type ? [args.type as (typeof SERVICE_TYPES)[number]] : SERVICE_TYPES;
    const nodes: ServiceEndpoint[] = [];
    for (const type of types) nodes.push(...(await staking.listServiceProviders(type)));
    const shown = slicePage(nodes, flags);
    for (const n of shown.data) this.log(`${n.type.padEnd(15)} ${String(n.spId).padStart(3)}  ${n.endpoint.padEnd(40)} owner ${n.owner}`);
    if (nodes.length === 0) this.log("No nodes registered");
    return shown;
  }
}
