import { AsixCommand } from "../../../base";
import { callDevnetControl } from "../../../devnetControl";
import { AsixError } from "../../../../sdk/errors";
import type { SnapshotInfo } from "../../../../devnet";

export default class DevnetSnapshotList extends AsixCommand {
  static description = "List the running devnet's snapshots";
  static examples = [
    "<%= config.bin %> devnet snapshot list",
    { description: '--json prints {"snapshots": [{"name": "seeded", "createdAt": "2026-…", "persistent": true, "ethChain": {…}, "dataChain": {…}}]}', command: "<%= config.bin %> devnet snapshot list --json" },
  ];

  async run(): Promise<{ snapshots: SnapshotInfo[] }> {
    const { flags } = await this.parse(DevnetSnapshotList);
    const devnet = this.network(flags).devnet;
    if (!devnet) throw new AsixError("INVALID_INPUT", "snapshots are of a devnet: pass --devnet or run this where a devnet runs");
    const snapshots = await callDevnetControl<SnapshotInfo[]>(devnet, "GET", "/snapshots");
    if (snapshots.length === 0) this.log("No snapshots yet (save one with: asix devnet snapshot save NAME)");
    for (const s of snapshots) this.log(`${s.name}\t${s.createdAt}\teth block ${s.ethChain.blockNumber}\tdata block ${s.dataChain.blockNumber}`);
    return { snapshots };
  }
}
