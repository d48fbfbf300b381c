import { Args } from "@oclif/core";
import { DevnetCommand, type NodeActionResult } from "../../../devnetCommand";

export default class DevnetNodePause extends DevnetCommand {
  static description = "Freeze one devnet node: requests wait unanswered and bodies in flight stop, until `asix devnet node resume`";
  static examples = ["<%= config.bin %> devnet node pause content-1", { description: '--json prints {"node": "content-1", "url": "http://127.0.0.1:4720", "action": "pause", "running": true}', command: "<%= config.bin %> devnet node pause content-1 --json" }];
  static args = { node: Args.string({ description: "node name: content-N or discovery-N", required: true }) };

  async run(): Promise<NodeActionResult> {
    const { args, flags } = await this.parse(DevnetNodePause);
    const result = await this.nodeAction(flags, args.node, "pause");
    this.log(`Paused ${result.node} (${result.url}).`);
    return result;
  }
}
