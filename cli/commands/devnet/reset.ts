import fs from "node:fs";
import { AsixError } from "../../../sdk/errors";
import { cleanUpStale, isAlive, readState } from "../../../devnet";
import { DevnetCommand } from "../../devnetCommand";

export default class DevnetReset extends DevnetCommand {
  static description = "Wipe a stopped devnet's state (chains, node data, logs): the next `asix devnet up` starts a fresh network";
  static examples = ["<%= config.bin %> devnet reset", { description: '--json prints {"wiped": "/path/.asix/devnet"}', command: "<%= config.bin %> devnet reset --json" }];

  async run(): Promise<{ wiped: string }> {
    const { flags } = await this.parse(DevnetReset);
    const dir = this.dirOf(flags);
    cleanUpStale(dir);
    const running = readState(dir);
    if (running && isAlive(running.pid)) throw new AsixError("CONFLICT", `the devnet in ${dir} is running (pid ${running.pid}): stop it first (npx asix devnet down)`);
    fs.rmSync(dir, { recursive: true, force: true });
    this.log(`Wiped ${dir}.`);
    return { wiped: dir };
  }
}
