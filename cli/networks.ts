import fs from "node:fs";
import { X509Certificate } from "node:crypto";
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
  /** PEM CA certificates a profile's services are trusted through (`network add --ca-file`), by profile */
  trust?: Record<string, string>;
}

const networksFile = () => path.join(configDir(), "networks.json");

function readNetworks(): NetworksFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(networksFile(), "utf8")) as NetworksFile;
    return { current: parsed.current, profiles: parsed.profiles ?? {}, trust: parsed.trust ?? {} };
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

/**
 * Save a profile. `caPem`, when given, is the CA its services' HTTPS certificates chain to (a
 * private network's, or a `devnet up --tls` devnet's): the CLI trusts it for this profile only,
 * and never turns verification off.
 */
export function saveProfile(name: string, config: NetworkConfig, overwrite: boolean, caPem?: string): void {
  if (!NAME.test(name)) throw new AsixError("INVALID_INPUT", `network name must match ${NAME.source}`);
  if (name === DEVNET_NETWORK) throw new AsixError("INVALID_INPUT", `"${DEVNET_NETWORK}" names the devnet running here; pick another name`);
  const networks = readNetworks();
  if (networks.profiles[name] && !overwrite) throw new AsixError("CONFLICT", `network "${name}" already exists (pass --force to replace it)`);
  networks.profiles[name] = resolveNetwork(config);
  const trust = { ...networks.trust };
  if (caPem) trust[name] = caPem;
  else delete trust[name];
  writeNetworks({ ...networks, trust });
}

/** The PEM CA certificate in `file`, checked to parse as X.509, for `saveProfile`. */
export function readCaFile(file: string): string {
  let pem: string;
  try {
    pem = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new AsixError("INVALID_INPUT", `cannot read the CA file ${file}: ${(e as Error).message}`);
  }
  try {
    new X509Certificate(pem);
  } catch {
    throw new AsixError("INVALID_INPUT", `${file} is not a PEM X.509 certificate`);
  }
  return pem;
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
  /** the PEM CA a profile saved with `--ca-file` trusts */
  caPem?: string;
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
  const caPem = readNetworks().trust?.[name];
  return { name, config: profile(name), ...(caPem ? { caPem } : {}) };
}

/**
 * A fetch that trusts the network's own CA: a profile's (`network add --ca-file`), or the devnet's
 * when it serves HTTPS (`devnet up --tls`); else the platform's.
 */
export function networkFetch(network: CliNetwork): typeof fetch | undefined {
  if (network.caPem) return fetchTrusting(network.caPem);
  const caFile = network.devnet?.caFile;
  if (!caFile) return undefined;
  try {
    return fetchTrusting(fs.readFileSync(caFile, "utf8"));
  } catch (e) {
    throw new AsixError("INVALID_INPUT", `cannot read the devnet CA ${caFile}: ${(e as Error).message}`);
  }
}
