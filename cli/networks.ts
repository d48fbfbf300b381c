import fs from "node:fs";
import path from "node:path";
import { resolveNetwork, type NetworkConfig } from "../sdk/network";
import { AsixError } from "../sdk/errors";
import { findState, type DevnetState } from "../devnet/state";
import { fetchTrusting } from "../devnet";
import { configDir } from "./keystore";

/**
 * Named network profiles (`asix network add|use|list`) in `<config dir>/networks.json`: each is the
 * SDK's NetworkConfig (discovery, identity and content node URLs, the data chain with its
 * EntityManager, the eth chain with every contract the Registry names), so a command can act on any
 * deployment. "devnet" is not stored: it names the devnet running here.
 */
export const DEVNET_NETWORK = "devnet";
const NAME = /^[A-Za-z0-9_.-]{1,40}$/;

interface NetworksFile {
  current?: string;
  profiles: Record<string, NetworkConfig>;
}

const networksFile = () => path.join(configDir(), "networks.json");

function readNetworks(): NetworksFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(networksFile(), "utf8")) as NetworksFile;
    return { current: parsed.current, profiles: parsed.profiles ?? {} };
  } catch {
    return { profiles: {} };
  }
}

function writeNetworks(networks: NetworksFile): void {
  fs.mkdirSync(configDir(), { recursive: true, mode: 0o700 });
  const file = networksFile();
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(networks, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

export function saveProfile(name: string, config: NetworkConfig, overwrite: boolean): void {
  if (!NAME.test(name)) throw new AsixError("INVALID_INPUT", `network name must match ${NAME.source}`);
  if (name === DEVNET_NETWORK) throw new AsixError("INVALID_INPUT", `"${DEVNET_NETWORK}" names the devnet running here; pick another name`);
  const networks = readNetworks();
  if (networks.profiles[name] && !overwrite) throw new AsixError("CONFLICT", `network "${name}" already exists (pass --force to replace it)`);
  networks.profiles[name] = resolveNetwork(config);
  writeNetworks(networks);
}

export function profile(name: string): NetworkConfig {
  const found = readNetworks().profiles[name];
  if (!found) throw new AsixError("NOT_FOUND", `no network "${name}" (see: asix network list)`);
  return found;
}

export function useNetwork(name: string): void {
  if (name !== DEVNET_NETWORK) profile(name);
  writeNetworks({ ...readNetworks(), current: name === DEVNET_NETWORK ? undefined : name });
}

export function listProfiles(): { current?: string; profiles: Record<string, NetworkConfig> } {
  return readNetworks();
}

/** The network a command acts on, and the devnet behind it when it is one (for its funded accounts). */
export interface CliNetwork {
  name: string;
  config: NetworkConfig | DevnetState;
  devnet?: DevnetState;
}

/**
 * --network NAME, else --devnet DIR, else the profile chosen with `asix network use`, else the
 * devnet running here (.asix/devnet in this folder or a parent, or ASIX_DEVNET_DIR). The env var
 * only says where the devnet is; it does not override a profile chosen with `network use`.
 */
export function resolveCliNetwork(flags: { network?: string; devnet?: string }, devnetFlagGiven: boolean): CliNetwork {
  const name = flags.network ?? (devnetFlagGiven ? DEVNET_NETWORK : readNetworks().current ?? DEVNET_NETWORK);
  if (name === DEVNET_NETWORK) {
    const devnet = findState(flags.devnet);
    return { name, config: devnet, devnet };
  }
  return { name, config: profile(name) };
}

/** A fetch that trusts the devnet's CA when it serves HTTPS (`devnet up --tls`); else the platform's. */
export function networkFetch(network: CliNetwork): typeof fetch | undefined {
  const caFile = network.devnet?.caFile;
  if (!caFile) return undefined;
  try {
    return fetchTrusting(fs.readFileSync(caFile, "utf8"));
  } catch (e) {
    throw new AsixError("INVALID_INPUT", `cannot read the devnet CA ${caFile}: ${(e as Error).message}`);
  }
}
