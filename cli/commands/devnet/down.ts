import { Command } from "@oclif/core";
import path from "node:path";
import { stopDevnetProcess } from "../../../devnet";
import { devnetDirFlag } from "../../devnetDirFlag";

export default class DevnetDown extends Command {
  static description = "Stop the devnet started by `asix devnet up` in this folder (in the background or not), leaving no process behind";
  static examples = [
    "<%= config.bin %> devnet down",
    { description: '--json prints {"stopped": true, "pid": 12345}', command: "<%= config.bin %> devnet down --json" },
  ];
  static enableJsonFlag = true;
  static flags = {
    devnet: devnetDirFlag,
  };

  async run(): Promise<{ stopped: boolean; pid?: number }> {
    const { flags } = await this.parse(DevnetDown);
    const pid = await stopDevnetProcess(path.resolve(flags.devnet));
    if (pid === undefined) {
      this.log("No devnet is running here.");
      return { stopped: false };
    }
    this.log(`Stopped the devnet (pid ${pid}).`);
    return { stopped: true, pid };
  }
}
