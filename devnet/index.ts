import type { Devnet, StartDevnetOptions } from "./options";
import type { SeedDevnetOptions, SeedResult } from "./seed";
import type { DevnetState } from "./state";

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
export { MAX_DEVNET_CONTENT_NODES, MAX_DEVNET_DISCOVERY_NODES } from "./accounts";
export { parseDuration, type ClockAdvance, type ClockChainMove, type DevnetClock } from "./clock";
export type { DevnetSnapshots, SnapshotChain, SnapshotInfo } from "./snapshot";
export type { SeedDevnetOptions, SeedResult, SeedCounts, SeededArtist, SeededTrack, SeededPlaylist } from "./seed";
export type { SeededStaking } from "./seed/staking";
export { renderAudioFixture, amplitudeForLufs, keyName, PITCH_CLASSES, FIXTURE_SAMPLE_RATE } from "./fixtures/audio";
export type { RenderFixtureOptions, FixtureFormat, AudioFixture, ClickFixture, ChordsFixture, ToneFixture, SilenceFixture, LoudSectionFixture, PitchClass, Mode } from "./fixtures/audio";
