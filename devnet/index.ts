import type { Devnet, StartDevnetOptions } from "./options";
import type { SeedDevnetOptions, SeedResult } from "./seed";
import type { DevnetState } from "./state";
import type { NodeRunSettings, RunningNode } from "./services/node-runtime/runNode";
import type { Logger } from "./services/node-runtime/logging";

/*
 * The index loads light: the CLI's devnet commands (`up --detach`, `down`, `status`, …) need the
 * state file, the supervisor and the control client, not the chains and services, whose modules
 * (Hardhat, express, ethers, sharp) cost about a second to load. startDevnet and seedDevnet load
 * theirs on first call.
 */

/**
 * Start the whole protocol on this machine: two chains, every contract, three kinds of service.
 * Without `persist` each start is a fresh network; with it, the saved one resumes (see persistence.ts).
 * A start that fails stops whatever it had started and frees its ports. The steps each have their
 * module: the state dir (persistence.ts), chains and the prepared deployment (chains.ts, genesis.ts),
 * service wiring (serviceWiring.ts), registration (registration.ts), health waits (health.ts), the
 * control API (control/) and the teardown on stop (teardown.ts); start.ts runs them.
 */
export async function startDevnet(options: StartDevnetOptions = {}): Promise<Devnet> {
  const { startDevnet: start } = await import("./start.js");
  return start(options);
}

/**
 * Fill a running devnet with a deterministic catalog: artists with avatars, tracks of generated
 * audio with covers, albums, playlists, the social graph and plays, a delegator and an extra
 * operator (see devnet/seed).
 */
export async function seedDevnet(state: DevnetState, options: SeedDevnetOptions = {}): Promise<SeedResult> {
  const { seedDevnet: seed } = await import("./seed/index.js");
  return seed(state, options);
}

export { ETH_CHAIN_ID, DATA_CHAIN_ID, DEVNET_NODE_STAKE } from "./constants";
export type { Devnet, DevnetService, RunningNodeHandle, StartDevnetOptions } from "./options";
export { DEFAULT_PORT_BASE, PORT_OFFSETS, portMap } from "./topology";
export type { DevnetStatus, NodeStatus, ChainStatus } from "./control/status";
export { logFile } from "./logFiles";
export { findState, isAlive, readState, statePath, type DevnetState, type DevnetAccount } from "./state";
export { DEVNET_ROLES, devnetPrivateKey } from "./accounts";
export { startDetached, stopDevnetProcess, cleanUpStale, supervisorPidFile } from "./supervisor";
export { controlRequest } from "./control/client";
export { DEVNET_SERVICES } from "./options";
// `asix node run`: one service as its own process, its logs, and trust in a devnet CA. The
// services, pino, undici and node-forge load on first use, so the index stays light.
export { NODE_KINDS, type NodeKind } from "./services/node-runtime/nodeKinds";
export type { NodeRunSettings, RunningNode } from "./services/node-runtime/runNode";
export type { Logger } from "./services/node-runtime/logging";

/** Run one service as its own long-lived process (see `asix node run`). */
export async function runNode(settings: NodeRunSettings): Promise<RunningNode> {
  const { runNode: run } = await import("./services/node-runtime/runNode.js");
  return run(settings);
}

/** A JSON-lines logger for one service, writing each line through `write`. */
export async function createLogger(...args: Parameters<typeof import("./services/node-runtime/logging").createLogger>): Promise<Logger> {
  const { createLogger: create } = await import("./services/node-runtime/logging.js");
  return create(...args);
}

/** A `fetch` that trusts the system roots plus the PEM CA `caPem` (a `--tls` devnet's CA); undici loads on its first call. */
export function fetchTrusting(caPem: string): typeof fetch {
  let trusting: typeof fetch | undefined;
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    trusting ??= (await import("./services/node-runtime/tls.js")).fetchTrusting(caPem);
    return trusting(input, init);
  }) as typeof fetch;
}
export { MAX_DEVNET_CONTENT_NODES, MAX_DEVNET_DISCOVERY_NODES } from "./accounts";
export { parseDuration, type ClockAdvance, type ClockChainMove, type DevnetClock } from "./clock";
export type { DevnetSnapshots, RestoreOptions, SnapshotChain, SnapshotInfo } from "./snapshot";
export type { SeedDevnetOptions, SeedResult, SeedCounts, SeededArtist, SeededTrack, SeededPlaylist } from "./seed";
export type { SeededStaking } from "./seed/staking";
