import type { UploadLimits } from "./services/content-node/uploadLimits";
import type { DevnetState } from "./state";
import type { NodeFault } from "./services/faults";
import type { DevnetSnapshots } from "./snapshot";
import type { DevnetClock } from "./clock";

/** A service a devnet can leave out (`only` / `without`); the two chains always run. */
export type DevnetService = "identity" | "discovery" | "content";
/** Every service `only` and `without` can name. */
export const DEVNET_SERVICES: readonly DevnetService[] = ["identity", "discovery", "content"];

/** How to start a devnet; every field is optional. */
export interface StartDevnetOptions {
  /** State dir: devnet.json, logs, each node's data. Default `.asix/devnet` under the working directory. */
  dir?: string;
  /** Fixed ports; 0 or absent picks free ones (or, with persist, the ones the network had). They win over `portBase`. */
  ports?: {
    /** the eth chain's JSON-RPC port */
    ethChain?: number;
    /** the data chain's JSON-RPC port */
    dataChain?: number;
    /** the first discovery node's port */
    discovery?: number;
    /** the identity service's port */
    identity?: number;
    /** the OAuth provider's port (social verification) */
    oauthProvider?: number;
    /** the content nodes' ports, in order */
    contentNodes?: number[];
  };
  /**
   * Every port from one base, the same on every start (see `portMap` in ports.ts): eth chain at the
   * base, data chain +1, identity +2, OAuth provider +3, control API +4, discovery nodes +10…,
   * content nodes +20…. Absent: free ports (and, with persist, the ones the network had).
   */
  portBase?: number;
  /** Number of content nodes (default 3, at most 7). */
  contentNodes?: number;
  /** Number of discovery nodes (default 1, at most 3), each registered on the eth chain and indexing the same data chain. */
  discoveryNodes?: number;
  /** Copies of each blob (default 2, at most the number of content nodes). */
  replicationFactor?: number;
  /** Block interval in ms of both chains; absent or 0: a block per transaction, at once. */
  blockTime?: number;
  /** Start only these services (the chains always run). */
  only?: DevnetService[];
  /** Leave these services out, e.g. `["identity"]`. */
  without?: DevnetService[];
  /**
   * Abuse limits of the content nodes' unsigned uploads (per-address rate and concurrency, longest
   * audio). A devnet lifts the uploads per minute by default, since every client is 127.0.0.1; set
   * `perIpPerMinute` to test an app against the limit.
   */
  uploadLimits?: Partial<UploadLimits>;
  /**
   * Serve every service over HTTPS (default false), with a certificate from a devnet CA made in
   * `<dir>/tls/` (ca.pem is what clients trust: devnet.json `caFile`, the CLI's --devnet).
   */
  tls?: boolean;
  /** Write service logs to `<dir>/logs/*.log` (default true). */
  logs?: boolean;
  /**
   * Keep the network across restarts and crashes (default false): each chain journals every block
   * before answering, and the next start replays the journals and keeps every node's data and
   * port. `asix devnet up` turns this on. Without it, each start is a fresh network.
   */
  persist?: boolean;
  /** With persist: throw away the saved network and start fresh. */
  reset?: boolean;
  /**
   * Serve the control API (node stop/start/pause/slow, status) on 127.0.0.1, its URL in devnet.json
   * as `control` (default: with persist, as `asix devnet up` does).
   */
  control?: boolean;
  /**
   * Start from this snapshot (saved with `devnet.snapshots.save` or `asix devnet snapshot save` in
   * the same dir by a devnet with persist): the chains, indexes, blobs and databases as they were.
   * Implies persist.
   */
  snapshot?: string;
}

/** A devnet node that a test can stop and restart on the same port, with its data. */
export interface RunningNodeHandle {
  /** the node's name (content-1, discovery-1, ...) */
  name: string;
  /** the node's URL */
  url: string;
  /** whether it is running (not stopped) */
  running(): boolean;
  /** Stop the node (its data stays). */
  stop(): Promise<void>;
  /** Start it again on the same port with the same data (and no fault); resolves once it answers healthy. */
  restart(): Promise<void>;
  /** Freeze the node: requests wait unanswered and bodies in flight stop, until `resume`. */
  pause(): void;
  /** Delay each request by `latencyMs` and send blob bodies at most `bytesPerSecond`, until `resume`. */
  slow(params: { latencyMs?: number; bytesPerSecond?: number }): void;
  /** Clear a pause or slow: whatever it held goes on at once. */
  resume(): void;
  /** the pause or slow in force, if any */
  fault(): NodeFault | undefined;
}

/** A running devnet: what devnet.json holds, plus handles to stop or restart one of its nodes. */
export interface Devnet extends DevnetState {
  /** Content node i, for tests that stop and restart one. */
  contentNode(i: number): RunningNodeHandle;
  /** Discovery node i, for tests that stop and restart one. */
  discoveryNode(i: number): RunningNodeHandle;
  /** Save and restore the whole devnet (chains, indexes, blobs, databases) together; see devnet/snapshot. */
  snapshots: DevnetSnapshots;
  /** Both chains' one clock: `time.advance(seconds)`. */
  time: DevnetClock;
  /** Stop everything; nothing is left running. */
  stop(): Promise<void>;
}
