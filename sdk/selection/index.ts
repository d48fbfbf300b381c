import { AsixError } from "../errors";
import type { NetworkConfig } from "../network";
import { ContentNodeHealth } from "./content";
import { DiscoverySelector } from "./discovery";
import { emitTo, type SelectionEventHandler } from "./events";
import { resolveRetryOptions, resolveSelectionOptions, type ResolvedRetryOptions, type RetryOptions, type SelectionOptions } from "./options";
import { now, type FetchLike } from "./probe";
import { isNodeFailure, maySendSignedAgain, withRetry } from "./retry";

export type { SelectionEvent, SelectionEventHandler, SelectionService } from "./events";
export type { RetryOptions, SelectionOptions } from "./options";
export { isNodeFailure, maySendSignedAgain, wasNeverSent } from "./retry";
export { judgeDiscoveryHealth, chooseDiscoveryNode } from "./discovery";

/** How long a client trusts the registry's list of discovery nodes. */
const REGISTRY_TTL_MS = 60_000;

/** A client's node selection state: one per client, shared by all its calls. */
export interface NodeSelection {
  readonly discovery: DiscoverySelector;
  readonly content: ContentNodeHealth;
  readonly retry: ResolvedRetryOptions;
  readonly onEvent?: SelectionEventHandler;
}

export interface CreateSelectionParameters {
  network: NetworkConfig;
  selection?: SelectionOptions | false;
  retry?: RetryOptions | false;
  onEvent?: SelectionEventHandler;
  /** the fetch the client uses, asked at each probe */
  fetch: () => FetchLike;
}

export function createSelection(params: CreateSelectionParameters): NodeSelection {
  if (params.onEvent !== undefined && typeof params.onEvent !== "function") throw new AsixError("INVALID_INPUT", "onEvent must be a function");
  const options = resolveSelectionOptions(params.selection);
  const configured = params.network.discoveryNodes ?? [];
  let registry: { at: number; nodes: Promise<string[]> } | undefined;
  const knownNodes = async () => {
    if (configured.length > 0) return configured;
    // Nothing configured: the eth chain's registry, read again after a while (nodes join and leave rarely).
    if (!registry || now() - registry.at > REGISTRY_TTL_MS) {
      const entry = { at: now(), nodes: registryDiscoveryNodes(params.network) };
      entry.nodes.catch(() => {
        if (registry === entry) registry = undefined;
      });
      registry = entry;
    }
    return registry.nodes;
  };
  return {
    discovery: new DiscoverySelector({ knownNodes, options, fetch: params.fetch, onEvent: params.onEvent }),
    content: new ContentNodeHealth({ options, fetch: params.fetch }),
    retry: resolveRetryOptions(params.retry),
    onEvent: params.onEvent,
  };
}

/** The discovery nodes registered on the eth chain's ServiceProviderFactory, loaded only when needed so read-only bundles stay small. */
async function registryDiscoveryNodes(network: NetworkConfig): Promise<string[]> {
  const { listRegisteredEndpoints } = await import("./registry.js");
  return listRegisteredEndpoints(network, "discovery-node");
}

export interface DiscoveryCallOptions {
  /**
   * GETs and other calls safe to repeat: retried with backoff. Others are sent once: they go to
   * another node only when the first never answered: refused or dropped the connection (signed actions, whose nonce makes a second send harmless).
   */
  idempotent: boolean;
  signal?: AbortSignal;
  /** The call's whole budget: no retry starts once it is spent. */
  timeoutMs?: number;
}

/**
 * Run `call` against the chosen discovery node. A node failure makes the next choice skip that node;
 * an idempotent call is then retried (on the newly chosen node) with backoff and jitter. With a
 * `timeoutMs`, choosing and every attempt share that one budget: `call` gets what is left of it.
 */
export function withDiscoveryNode<T>(
  selection: NodeSelection,
  call: (node: string, budget: { timeoutMs?: number }) => Promise<T>,
  options: DiscoveryCallOptions,
): Promise<T> {
  const started = now();
  const deadline = options.timeoutMs ? started + options.timeoutMs : undefined;
  let lastNode = "";
  const once = async () => {
    const node = (lastNode = await withinDeadline(selection.discovery.current(), deadline));
    const t0 = now();
    try {
      return await call(node, { timeoutMs: deadline === undefined ? undefined : Math.max(1, Math.round(deadline - t0)) });
    } catch (e) {
      if (isNodeFailure(e) && !options.signal?.aborted) selection.discovery.fail(node, (e as AsixError).code, now() - t0);
      throw e;
    }
  };
  if (!options.idempotent) return sendOnce(selection, once);
  return withRetry(
    selection.retry,
    once,
    (error, attempt) =>
      emitTo(selection.onEvent, {
        type: "retry",
        service: "discovery",
        node: lastNode,
        reason: (error as AsixError).code,
        ms: Math.round(now() - started),
        attempt,
      }),
    options.signal,
    deadline,
  );
}

/** A selection that takes past the call's deadline gives NODE_UNAVAILABLE then (it goes on for the next call). */
function withinDeadline<T>(choosing: Promise<T>, deadline: number | undefined): Promise<T> {
  if (deadline === undefined) return choosing;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AsixError("NODE_UNAVAILABLE", "no discovery node could be chosen within the call's timeout")),
      Math.max(0, deadline - now()),
    );
  });
  return Promise.race([choosing, expired]).finally(() => clearTimeout(timer));
}

/** A write: one send; another node is tried only while each refused the connection or dropped it before answering (see maySendSignedAgain). */
async function sendOnce<T>(selection: NodeSelection, once: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await once();
    } catch (e) {
      const known = selection.discovery.knownCount;
      if (!maySendSignedAgain(e) || tries >= Math.max(1, known)) throw e;
    }
  }
}
