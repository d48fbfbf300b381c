import { Args } from "@oclif/core";
import { AsixCommand } from "../../../base";
import { callDevnetControl } from "../../../devnetControl";
import { AsixError } from "../../../../sdk/errors";
import type { SnapshotInfo } from "../../../../devnet";

export default class DevnetSnapshotSave extends AsixCommand {
  static description = "Save a snapshot of the running devnet: both chains, every index, every blob and database, together";
  static examples = [
    "<%= config.bin %> devnet snapshot save seeded",
    {
      description: '--json prints {"name": "seeded", "createdAt": "2026-…", "persistent": true, "ethChain": {"chainId": 31337, "blockNumber": 90, "hash": "0x…"}, "dataChain": {…}}',
      command: "<%= config.bin %> devnet snapshot save seeded --json",
    },
  ];
  static args = { name: Args.string({ description: "snapshot name (letters, digits, . _ -)", required: true }) };

  async run(): Promise<SnapshotInfo> {
    const { args, flags } = await this.parse(DevnetSnapshotSave);
    const devnet = this.network(flags).devnet;
    if (!devnet) throw new AsixError("INVALID_INPUT", "snapshots are of a devnet: pass --devnet or run this where a devnet runs");
    const info = await callDevnetControl<SnapshotInfo>(devnet, "POST", `/snapshots/${encodeURIComponent(args.name)}/save`);
    this.log(`Saved snapshot ${info.name} (eth chain at block ${info.ethChain.blockNumber}, data chain at block ${info.dataChain.blockNumber})`);
    return info;
  }
}
