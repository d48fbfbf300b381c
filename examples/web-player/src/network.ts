import type { DevnetDescriptor, NetworkConfig } from "@asix/sdk";
import { NETWORK_FILE } from "../files";

/**
 * Where the page finds its network: `?network=<JSON>` (a devnet descriptor or a NetworkConfig, as
 * `createAsix` takes), else the `devnet.json` served beside the page.
 */
export async function loadNetwork(location: Location): Promise<NetworkConfig | DevnetDescriptor> {
  const inline = new URLSearchParams(location.search).get("network");
  if (inline) return JSON.parse(inline) as NetworkConfig | DevnetDescriptor;
  const res = await fetch(new URL(NETWORK_FILE, location.href));
  if (!res.ok) throw new Error(`no network given: pass ?network=<JSON> or serve ${NETWORK_FILE} beside the page (HTTP ${res.status})`);
  return (await res.json()) as NetworkConfig | DevnetDescriptor;
}

/** What the header shows: the discovery node the page talks to. */
export function describeNetwork(network: NetworkConfig | DevnetDescriptor): string {
  const discovery = "services" in network ? network.services.discovery[0] : network.discoveryUrl;
  return `network: discovery node ${discovery}`;
}
