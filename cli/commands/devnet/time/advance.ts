import { Args } from "@oclif/core";
import { AsixCommand } from "../../../base";
import { callDevnetControl } from "../../../devnetControl";
import { AsixError } from "../../../../sdk/errors";
import { parseDuration, type ClockAdvance } from "../../../../devnet";

export default class DevnetTimeAdvance extends AsixCommand {
  static description = "Move both devnet chains' clocks forward together, mining blocks past lockups, rounds and proposal deadlines";
  static examples = [
    "<%= config.bin %> devnet time advance 7d",
    {
      description: '--json prints {"seconds": 604800, "timestamp": 1767830401, "ethChain": {"blockNumber": 46620, "mined": 46523}, "dataChain": {"blockNumber": 120, "mined": 1}}',
      command: "<%= config.bin %> devnet time advance 2h --json",
    },
  ];
  static args = { duration: Args.string({ description: "how far: 30s, 15m, 2h, 7d, 1w or seconds", required: true }) };

  async run(): Promise<ClockAdvance> {
    const { args, flags } = await this.parse(DevnetTimeAdvance);
    let seconds: number;
    try {
      seconds = parseDuration(args.duration);
    } catch (e) {
      this.error((e as Error).message, { exit: 2 });
    }
    const devnet = this.network(flags).devnet;
    if (!devnet) throw new AsixError("INVALID_INPUT", "only a devnet's clock can be moved: pass --devnet or run this where a devnet runs");
    const moved = await callDevnetControl<ClockAdvance>(devnet, "POST", "/time/advance", { seconds });
    this.log(`Advanced ${args.duration}: eth chain at block ${moved.ethChain.blockNumber} (+${moved.ethChain.mined}), data chain at block ${moved.dataChain.blockNumber}, time ${new Date(moved.timestamp * 1000).toISOString()}`);
    return moved;
  }
}
