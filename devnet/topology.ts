import { AsixError } from "../sdk/errors";
import { MAX_DEVNET_CONTENT_NODES, MAX_DEVNET_DISCOVERY_NODES } from "./accounts";
import { DEVNET_SERVICES, type DevnetService, type StartDevnetOptions } from "./options";

/** Every service's port, as a network is saved with them (persistence.ts network.json). */
export interface DevnetPorts {
  ethChain: number;
  dataChain: number;
  identity: number;
  /** the first discovery node's */
  discovery: number;
  /** every discovery node's, in order (absent in networks saved with a single discovery node) */
  discoveryNodes?: number[];
  oauthProvider: number;
  contentNodes: number[];
  /** the control API's (absent in networks saved before it existed) */
  control?: number;
  /** the explorer page's (absent in networks saved before it existed) */
  explorer?: number;
}

/** What a devnet runs: how many nodes of each kind, which services, and how blocks are made. */
export interface DevnetTopology {
  contentNodes: number;
  discoveryNodes: number;
  replicationFactor: number;
  /** block interval in ms; 0 is a block per transaction */
  blockTime: number;
  identity: boolean;
}

/** Check the options' node counts and service choices; bad ones are INVALID_INPUT naming the option. */
export function resolveTopology(options: StartDevnetOptions): DevnetTopology {
  const services = chosenServices(options);
  const contentNodes = services.has("content") ? (options.contentNodes ?? 3) : 0;
  if (services.has("content") && !inRange(contentNodes, 1, MAX_DEVNET_CONTENT_NODES)) {
    throw new AsixError("INVALID_INPUT", `contentNodes must be 1..${MAX_DEVNET_CONTENT_NODES}`);
  }
  const discoveryNodes = services.has("discovery") ? (options.discoveryNodes ?? 1) : 0;
  if (services.has("discovery") && !inRange(discoveryNodes, 1, MAX_DEVNET_DISCOVERY_NODES)) {
    throw new AsixError("INVALID_INPUT", `discoveryNodes must be 1..${MAX_DEVNET_DISCOVERY_NODES}`);
  }
  const replicationFactor = options.replicationFactor ?? Math.min(2, Math.max(contentNodes, 1));
  if (!inRange(replicationFactor, 1, Math.max(contentNodes, 1))) {
    throw new AsixError("INVALID_INPUT", `replicationFactor must be 1..${Math.max(contentNodes, 1)} (the number of content nodes)`);
  }
  const blockTime = options.blockTime ?? 0;
  if (!inRange(blockTime, 0, 3_600_000)) throw new AsixError("INVALID_INPUT", "blockTime must be 0 (instant) or an interval in ms up to 3600000");
  return { contentNodes, discoveryNodes, replicationFactor, blockTime, identity: services.has("identity") };
}

function chosenServices(options: StartDevnetOptions): Set<DevnetService> {
  if (options.only && options.without) throw new AsixError("INVALID_INPUT", "give only or without, not both");
  for (const s of [...(options.only ?? []), ...(options.without ?? [])]) {
    if (!DEVNET_SERVICES.includes(s)) throw new AsixError("INVALID_INPUT", `unknown devnet service "${s}" (one of ${DEVNET_SERVICES.join(", ")})`);
  }
  if (options.only) return new Set(options.only);
  return new Set(DEVNET_SERVICES.filter((s) => !options.without?.includes(s)));
}

function inRange(n: number, min: number, max: number): boolean {
  return Number.isInteger(n) && n >= min && n <= max;
}

/** Offsets from the port base; documented in the README's port map. */
export const PORT_OFFSETS = {
  /** the eth chain's JSON-RPC */
  ethChain: 0,
  /** the data chain's JSON-RPC */
  dataChain: 1,
  /** the identity service */
  identity: 2,
  /** the devnet's OAuth provider */
  oauthProvider: 3,
  /** the control API */
  control: 4,
  /** the explorer page */
  explorer: 5,
  /** the first discovery node; the others follow */
  discoveryNodes: 10,
  /** the first content node; the others follow */
  contentNodes: 20,
} as const;
/** The port base `asix devnet up` uses when given none. */
export const DEFAULT_PORT_BASE = 4700;

/** Every port of a devnet with this base and topology. */
export function portMap(base: number, topology: Pick<DevnetTopology, "contentNodes" | "discoveryNodes">): Required<DevnetPorts> {
  if (!inRange(base, 1024, 65535 - 40)) throw new AsixError("INVALID_INPUT", `portBase must be 1024..${65535 - 40}`);
  const discoveryNodes = Array.from({ length: topology.discoveryNodes }, (_, i) => base + PORT_OFFSETS.discoveryNodes + i);
  return {
    ethChain: base + PORT_OFFSETS.ethChain,
    dataChain: base + PORT_OFFSETS.dataChain,
    identity: base + PORT_OFFSETS.identity,
    oauthProvider: base + PORT_OFFSETS.oauthProvider,
    control: base + PORT_OFFSETS.control,
    explorer: base + PORT_OFFSETS.explorer,
    discovery: discoveryNodes[0] ?? 0,
    discoveryNodes,
    contentNodes: Array.from({ length: topology.contentNodes }, (_, i) => base + PORT_OFFSETS.contentNodes + i),
  };
}

/** The ports to ask for: explicit ones, else the base's, else the saved network's, else free (0). */
export function choosePorts(options: StartDevnetOptions, topology: DevnetTopology, saved: DevnetPorts | undefined): Required<DevnetPorts> {
  const fromBase = options.portBase !== undefined ? portMap(options.portBase, topology) : undefined;
  const explicit = options.ports ?? {};
  const pick = (...candidates: Array<number | undefined>) => candidates.find((p) => p !== undefined && p !== 0) ?? 0;
  const discoveryNodes = Array.from({ length: topology.discoveryNodes }, (_, i) =>
    pick(i === 0 ? explicit.discovery : undefined, fromBase?.discoveryNodes[i], i === 0 ? saved?.discovery : saved?.discoveryNodes?.[i]),
  );
  return {
    ethChain: pick(explicit.ethChain, fromBase?.ethChain, saved?.ethChain),
    dataChain: pick(explicit.dataChain, fromBase?.dataChain, saved?.dataChain),
    identity: pick(explicit.identity, fromBase?.identity, saved?.identity),
    oauthProvider: pick(explicit.oauthProvider, fromBase?.oauthProvider, saved?.oauthProvider),
    control: pick(fromBase?.control, saved?.control),
    explorer: pick(fromBase?.explorer, saved?.explorer),
    discovery: discoveryNodes[0] ?? 0,
    discoveryNodes,
    contentNodes: Array.from({ length: topology.contentNodes }, (_, i) => pick(explicit.contentNodes?.[i], fromBase?.contentNodes[i], saved?.contentNodes[i])),
  };
}
