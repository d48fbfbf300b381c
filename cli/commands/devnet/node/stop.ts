import { Args } from "@oclif/core";
import { DevnetCommand, type NodeActionResult } from "../../../devnetCommand";

export default class DevnetNodeStop extends DevnetCommand {
  static description = "Stop one devnet node (its data stays; `asix devnet node start` brings it back on the same port)";
  static examples = ["<%= config.bin %> devnet node stop content-1", { description: '--json prints {"node": "content-1", "url": "http://127.0.0.1:4720", "action": "stop", "running": false}', command: "<%= config.bin %> devnet node stop content-1 --json" }];
  static args = { node: Args.string({ description: "node name: content-N or discovery-N", required: true }) };

  async run(): Promise<NodeActionResult> {
    const { args, flags } = await this.parse(DevnetNodeStop);
    const result = await this.nodeAction(flags, args.node, "stop");
    this.log(`Stopped ${result.node} (${result.url}).`);
    return result;
  }
}
