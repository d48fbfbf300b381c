import { Args, Flags } from "@oclif/core";
import { AsixError } from "../../../../sdk/errors";
import { DevnetCommand, type NodeActionResult } from "../../../devnetCommand";

export default class DevnetNodeSlow extends DevnetCommand {
  static description = "Slow one devnet node down: each request waits --latency-ms, blob bodies go at most --bytes-per-second, until `asix devnet node resume`";
  static examples = ["<%= config.bin %> devnet node slow content-2 --latency-ms 500", "<%= config.bin %> devnet node slow content-1 --bytes-per-second 65536",
    { description: '--json prints {"node": "content-1", "url": "http://127.0.0.1:4720", "action": "slow", "running": true}', command: "<%= config.bin %> devnet node slow content-1 --latency-ms 200 --json" },
  ];
  static args = { node: Args.string({ description: "node name: content-N or discovery-N", required: true }) };
  static flags = {
    "latency-ms": Flags.integer({ description: "delay before each request is handled", min: 0, max: 600_000 }),
    "bytes-per-second": Flags.integer({ description: "cap on blob body bytes per second", min: 10 }),
  };

  async run(): Promise<NodeActionResult> {
    const { args, flags } = await this.parse(DevnetNodeSlow);
    if (flags["latency-ms"] === undefined && flags["bytes-per-second"] === undefined) throw new AsixError("INVALID_INPUT", "give --latency-ms, --bytes-per-second or both");
    const result = await this.nodeAction(flags, args.node, "slow", { latencyMs: flags["latency-ms"], bytesPerSecond: flags["bytes-per-second"] });
    this.log(`Slowed ${result.node} (${result.url}).`);
    return result;
  }
}
