import { AsixCommand } from "../../base";
import { isAsixError } from "../../../sdk/errors";
import { findState } from "../../../devnet/state";
import { DEVNET_NETWORK, listProfiles } from "../../networks";
import { PAGE_SHAPE, pageFlags, slicePage } from "../../paging";
import type { NetworkConfig } from "../../../sdk/network";

interface NetworkRow {
  name: string;
  current: boolean;
  discoveryUrl: string;
  /** the profile; absent for the running devnet, which lives in devnetDir */
  network?: NetworkConfig;
  devnetDir?: string;
}

export default class NetworkList extends AsixCommand {
  static description = `The saved network profiles, and "${DEVNET_NETWORK}" when a devnet is running here`;
  static examples = [
    "<%= config.bin %> network list",
    {
      description: `--json prints ${PAGE_SHAPE('{"name": "staging", "current": true, "discoveryUrl": "https://dn.staging.example", "network": {...}}')}`,
      command: "<%= config.bin %> network list --json",
    },
  ];
  static flags = pageFlags(100);

  async run() {
    const { flags } = await this.parse(NetworkList);
    const { current, profiles } = listProfiles();
    const rows: NetworkRow[] = Object.entries(profiles)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, network]) => ({ name, current: name === current, discoveryUrl: network.discoveryUrl ?? network.discoveryNodes?.[0] ?? "", network }));
    const devnet = runningDevnet(flags.devnet);
    if (devnet) rows.unshift({ name: DEVNET_NETWORK, current: current === undefined, discoveryUrl: devnet.services.discovery[0], devnetDir: devnet.dir });
    const shown = slicePage(rows, flags);
    for (const r of shown.data) this.log(`${r.current ? "*" : " "} ${r.name.padEnd(20)} ${r.discoveryUrl}`);
    if (rows.length === 0) this.log("No networks: start a devnet (asix devnet up) or add one (asix network add).");
    return shown;
  }
}

function runningDevnet(dir?: string) {
  try {
    return findState(dir);
  } catch (e) {
    if (isAsixError(e, "NODE_UNAVAILABLE")) return undefined;
    throw e;
  }
}
