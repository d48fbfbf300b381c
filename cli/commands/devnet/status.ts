import { controlRequest, type DevnetStatus } from "../../../devnet";
import { DevnetCommand } from "../../devnetCommand";

export default class DevnetStatusCommand extends DevnetCommand {
  static description = "Show the running devnet: both chains' heights, and each node's health, fault, index lag, blobs and stake";
  static examples = [
    "<%= config.bin %> devnet status",
    { description: '--json prints {"chains": {"eth": {"url": "…", "blockNumber": 42}, "data": {...}}, "nodes": [{"name": "content-1", "healthy": true, "blobs": 12, "stake": "200000000000000000000000", ...}, {"name": "discovery-1", "indexLag": 0, ...}], ...}', command: "<%= config.bin %> devnet status --json" },
  ];

  async run(): Promise<DevnetStatus> {
    const { flags } = await this.parse(DevnetStatusCommand);
    const status = await controlRequest<DevnetStatus>(this.runningState(this.dirOf(flags)), "GET", "/status");
    this.log(`Asix+ devnet in ${status.dir} (pid ${status.pid}, up since ${status.startedAt})\n`);
    this.log(`  eth chain   ${status.chains.eth.url}  block ${status.chains.eth.blockNumber ?? "?"}`);
    this.log(`  data chain  ${status.chains.data.url}  block ${status.chains.data.blockNumber ?? "?"}`);
    if (status.identity) this.log(`  identity    ${status.identity.url}  ${status.identity.healthy ? "healthy" : "UNHEALTHY"}`);
    this.log("");
    for (const n of status.nodes) {
      const state = !n.running ? "stopped" : n.fault ? n.fault.kind : n.healthy ? "healthy" : "UNHEALTHY";
      const detail = n.kind === "content-node" ? `${n.blobs} blobs` : `index lag ${n.indexLag ?? "?"} (block ${n.indexedBlock ?? "?"})`;
      const stake = n.stake === null ? "?" : `${BigInt(n.stake) / 10n ** 18n} ASIX`;
      this.log(`  ${n.name.padEnd(12)} ${n.url.padEnd(24)} ${state.padEnd(9)} ${detail.padEnd(26)} stake ${stake}`);
    }
    return status;
  }
}
