import { Args } from "@oclif/core";
import { DevnetCommand, type NodeActionResult } from "../../../devnetCommand";

export default class DevnetNodeResume extends DevnetCommand {
  static description = "Clear a node's pause or slow: whatever it held goes on at once";
  static examples = ["<%= config.bin %> devnet node resume content-1", '<%= config.bin %> devnet node resume discovery-1 --json'];
  static args = { node: Args.string({ description: "node name: content-N or discovery-N", required: true }) };

  async run(): Promise<NodeActionResult> {
    const { args, flags } = await this.parse(DevnetNodeResume);
    const result = await this.nodeAction(flags, args.node, "resume");
    this.log(`Resumed ${result.node} (${result.url}).`);
    return result;
  }
}
