import { Args } from "@oclif/core";
import { DevnetCommand, type NodeActionResult } from "../../../devnetCommand";

export default class DevnetNodeResume extends DevnetCommand {
  static description = "Clear a node's pause or slow: whatever it held goes on at once";
  static examples = ["<%= config.bin %> devnet node resume content-1", { description: '--json prints {"node": "content-1", "url": "http://127.0.0.1:4720", "action": "resume", "running": true}', command: "<%= config.bin %> devnet node resume content-1 --json" }];
  static args = { node: Args.string({ description: "node name: content-N or discovery-N", required: true }) };

  async run(): Promise<NodeActionResult> {
    const { args, flags } = await this.parse(DevnetNodeResume);
    const result = await this.nodeAction(flags, args.node, "resume");
    this.log(`Resumed ${result.node} (${result.url}).`);
    return result;
  }
}
