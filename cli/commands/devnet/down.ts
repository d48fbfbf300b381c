import { Command } from "@oclif/core";
import fs from "node:fs";
import path from "node:path";
import { isAlive, statePath, type DevnetState } from "../../../devnet/state";
import { devnetDirFlag } from "../../devnetDirFlag";

export default class DevnetDown extends Command {
  static description = "Stop the devnet started by `asix devnet up` in this folder";
  static examples = [
    "<%= config.bin %> devnet down",
    { description: '--json prints {"stopped": true, "pid": 12345}', command: '<%= config.bin %> devnet down --json' },
  ];
  static enableJsonFlag = true;
  static flags = {
    devnet: devnetDirFlag,
  };

  async run(): Promise<{ stopped: boolean; pid?: number }> {
    const { flags } = await this.parse(DevnetDown);
    const file = statePath(path.resolve(flags.devnet));
    if (!fs.existsSync(file)) {
      this.log("No devnet is running here.");
      return { stopped: false };
    }
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as DevnetState;
    if (!isAlive(state.pid)) {
      fs.rmSync(file, { force: true });
      this.log("The devnet was not running; removed its stale devnet.json.");
      return { stopped: false, pid: state.pid };
    }
    process.kill(state.pid, "SIGTERM");
    const deadline = Date.now() + 15_000;
    while (isAlive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(state.pid)) process.kill(state.pid, "SIGKILL");
    this.log(`Stopped the devnet (pid ${state.pid}).`);
    return { stopped: true, pid: state.pid };
  }
}
