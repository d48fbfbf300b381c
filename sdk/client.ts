import type { Signer } from "ethers";
import { KeySigner } from "./eth/keySigner";
import { AsixError } from "./errors";
import { DEFAULT_REQUEST_TIMEOUT_MS, type HttpClient } from "./http";
import { resolveNetwork, type DevnetDescriptor, type NetworkConfig } from "./network";
import { createSelection, type NodeSelection, type RetryOptions, type SelectionEventHandler, type SelectionOptions } from "./selection";

/** Everything an SDK function needs: where the network is, and who is acting. */
export interface AsixClient extends HttpClient {
  /** The network it talks to, resolved (a devnet descriptor becomes URLs and chain settings). */
  readonly network: NetworkConfig;
  /** The fetch every request goes through: the platform's unless one was injected. */
  readonly fetch?: typeof fetch;
  /** Per-request timeout when a call gives none. */
  readonly requestTimeoutMs: number;
  /** The acting user's wallet; reads work without one, writes need it. `auth.logIn` sets it. */
  wallet?: Signer;
  /** The acting user's id, once known (set by users.create, or looked up from the wallet). */
  userId?: number;
  /** How long a write waits for the discovery node to index it. */
  readonly indexTimeoutMs: number;
  /** How often to poll while waiting (indexing, transcoding). */
  readonly pollIntervalMs: number;
  /** Which discovery and content nodes to use, and how reads are retried (sdk/selection). */
  readonly selection: NodeSelection;
}

/** What createClient and createAsix take: the network, and optionally who acts and how long to wait. */
export interface CreateClientParameters {
  /** Explicit URLs and addresses, or the descriptor that `startDevnet()` returns. */
  network: NetworkConfig | DevnetDescriptor;
  /** An ethers Signer, or a private key. Optional for read-only use. */
  wallet?: Signer | string;
  /** The wallet's user id, if known (hashid or integer). */
  userId?: number;
  /** Default 30 s. */
  indexTimeoutMs?: number;
  /** Default 50 ms. */
  pollIntervalMs?: number;
  /** HTTP timeout per request. Default 30 s. */
  requestTimeoutMs?: number;
  /** A fetch to use instead of the platform's (a proxy agent, instrumentation, tests). */
  fetch?: typeof fetch;
  /** Node selection by health, version, freshness and speed; `false`: always the first configured node, no health checks. */
  selection?: SelectionOptions | false;
  /** Retries of idempotent reads with backoff and jitter; `false`: one attempt. Writes are never retried. */
  retry?: RetryOptions | false;
  /** Hears which node was selected, each failover and each retry, why, and how long it took. */
  onEvent?: SelectionEventHandler;
}

/** The plain client every SDK function takes as its first argument (createAsix wraps one). INVALID_INPUT when the network or wallet is malformed. */
export function createClient(params: CreateClientParameters): AsixClient {
  if (!params || typeof params !== "object") throw new AsixError("INVALID_INPUT", "createAsix needs { network }");
  if (params.fetch !== undefined && typeof params.fetch !== "function") throw new AsixError("INVALID_INPUT", "fetch must be a function like the platform's fetch");
  const timeout = params.requestTimeoutMs;
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout < 0)) throw new AsixError("INVALID_INPUT", "requestTimeoutMs must be a non-negative number");
  let wallet: Signer | undefined;
  if (typeof params.wallet === "string") {
    try {
      // A key signs with noble (no ethers at load); see KeySigner.
      wallet = new KeySigner(params.wallet) as unknown as Signer;
    } catch (cause) {
      throw new AsixError("INVALID_INPUT", "wallet is not a valid private key", { cause });
    }
  } else {
    wallet = params.wallet;
  }
  const network = resolveNetwork(params.network);
  return {
    network,
    selection: createSelection({ network, selection: params.selection, retry: params.retry, onEvent: params.onEvent, fetch: () => params.fetch ?? globalThis.fetch }),
    fetch: params.fetch,
    requestTimeoutMs: params.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    wallet,
    userId: params.userId,
    indexTimeoutMs: params.indexTimeoutMs ?? 30_000,
    pollIntervalMs: params.pollIntervalMs ?? 50,
  };
}

/** The wallet, or a clear INVALID_INPUT telling the caller how to provide one. */
export function requireWallet(client: AsixClient, action: string): Signer {
  if (!client.wallet) {
    throw new AsixError("INVALID_INPUT", `${action} needs a wallet: createAsix({ network, wallet })`);
  }
  return client.wallet;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The identity service URL, or INVALID_INPUT saying how to configure it. */
export function requireIdentityUrl(client: AsixClient, action: string): string {
  const url = client.network.identityUrl;
  if (!url) throw new AsixError("INVALID_INPUT", `${action} needs network.identityUrl`);
  return url.replace(/\/+$/, "");
}
