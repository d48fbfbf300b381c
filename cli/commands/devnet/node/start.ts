import { Args } from "@oclif/core";
import { DevnetCommand, type NodeActionResult } from "../../../devnetCommand";

export default class DevnetNodeStart extends DevnetCommand {
  static description = "Start a stopped devnet node again, on its port, with its data";
  static examples = ["<%= config.bin %> devnet node start content-1", { description: '--json prints {"node": "content-1", "url": "http://127.0.0.1:4720", "action": "start", "running": true}', command: "<%= config.bin %> devnet node start content-1 --json" }];
  static args = { node: Args.string({ description: "node name: content-N or discovery-N", required: true }) };

  async run(): Promise<NodeActionResult> {
    const { args, flags } = await this.parse(DevnetNodeStart);
    const result = await this.nodeAction(flags, args.node, "start");
    this.log(`Started ${result.node} (${result.url}).`);
    return result;
  }
}
