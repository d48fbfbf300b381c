import { AsixError } from "../errors";
import { isCompatibleVersion } from "../protocol/version";
import { emitTo, type SelectionEventHandler } from "./events";
import type { ResolvedSelectionOptions } from "./options";
import { now, probeHealth, type FetchLike, type HealthProbe } from "./probe";

/**
 * Which discovery node to talk to: race `/health_check` on the known nodes, reject the unhealthy,
 * the incompatible and the lagging, and keep the fastest until it fails, falls behind, or is due
 * a recheck.
 */

export interface DiscoverySelectorConfig {
  /** The known nodes, asked at each selection (configured URLs, or the on-chain registry). */
  knownNodes: () => Promise<string[]>;
  options: ResolvedSelectionOptions;
  fetch: () => FetchLike;
  onEvent?: SelectionEventHandler;
}

/** Why a discovery node's health answer makes it unusable on its own, or undefined when it is usable. */
export function judgeDiscoveryHealth(body: unknown, maxBlocksBehind: number): string | undefined {
  const data = (body as { data?: Record<string, unknown> } | undefined)?.data;
  if (!data || data.healthy !== true) return "unhealthy";
  if (data.service !== undefined && data.service !== "discovery-node") return "not a discovery node";
  if (!isCompatibleVersion(data.version)) return "incompatible version";
  if (typeof data.block_difference === "number" && data.block_difference > maxBlocksBehind) return "behind";
  return undefined;
}

const indexedBlockOf = (probe: HealthProbe): number => {
  const block = (probe.body as { data?: { latest_indexed_block?: unknown } }).data?.latest_indexed_block;
  return typeof block === "number" ? block : 0;
};

/** Among probes judged usable on their own, drop those too far behind the best one, and take the fastest. */
export function chooseDiscoveryNode(probes: HealthProbe[], maxBlocksBehind: number): HealthProbe | undefined {
  const usable = probes.filter((p) => !p.failure);
  const best = Math.max(...usable.map(indexedBlockOf));
  for (const p of usable) if (best - indexedBlockOf(p) > maxBlocksBehind) p.failure = "behind";
  return usable.filter((p) => !p.failure).sort((a, b) => a.ms - b.ms)[0];
}

export class DiscoverySelector {
  private selected?: { node: string; at: number };
  private pending?: Promise<string>;
  private readonly failedAt = new Map<string, number>();
  private lastKnown = 0;

  constructor(private readonly config: DiscoverySelectorConfig) {}

  /** The node to use now: the current choice, or a new one when there is none or it is due a recheck. */
  async current(): Promise<string> {
    const known = await this.config.knownNodes();
    this.lastKnown = known.length;
    // With selection off, or a single node, there is nothing to choose: no health check delays the call.
    if (!this.config.options.enabled || known.length === 1) {
      if (!known[0]) throw new AsixError("NODE_UNAVAILABLE", "no discovery node is configured");
      return known[0].replace(/\/+$/, "");
    }
    const selected = this.selected;
    if (selected && now() - selected.at < this.config.options.recheckMs) return selected.node;
    return this.select(selected ? "recheck" : "first use");
  }

  /** How many nodes were known at the last choice (0 before any). */
  get knownCount(): number {
    return this.lastKnown;
  }

  /** The node last chosen, if any (for diagnostics and tests). */
  get node(): string | undefined {
    return this.selected?.node;
  }

  /** A call to `node` failed in a way another node may not (unreachable, timeout, 5xx): the next call chooses again. */
  fail(node: string, reason: string, ms: number): void {
    this.failedAt.set(node, now());
    if (this.selected?.node === node) this.selected = undefined;
    emitTo(this.config.onEvent, { type: "failover", service: "discovery", node, reason, ms: Math.round(ms) });
  }

  /** Choose again now; concurrent callers share one selection. */
  select(reason: string): Promise<string> {
    this.pending ??= this.choose(reason).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async choose(reason: string): Promise<string> {
    const { options, fetch } = this.config;
    const started = now();
    const nodes = [...new Set((await this.config.knownNodes()).map((n) => n.replace(/\/+$/, "")))];
    if (nodes.length === 0) throw new AsixError("NODE_UNAVAILABLE", "no discovery node is known");
    // Nodes that failed lately go last: asked only when none of the others will do.
    const cooling = (n: string) => now() - (this.failedAt.get(n) ?? -Infinity) < options.failedCooldownMs;
    const rounds = [nodes.filter((n) => !cooling(n)), nodes.filter(cooling)].filter((r) => r.length > 0);
    const probes: HealthProbe[] = [];
    for (const round of rounds) {
      const answers = await raceHealth(round, (node) => probeHealth(fetch(), node, options.healthTimeoutMs), options);
      probes.push(...answers);
      const chosen = chooseDiscoveryNode(answers, options.maxBlocksBehind);
      if (chosen) {
        this.selected = { node: chosen.node, at: now() };
        this.failedAt.delete(chosen.node);
        emitTo(this.config.onEvent, { type: "select", service: "discovery", node: chosen.node, reason, ms: Math.round(now() - started) });
        return chosen.node;
      }
    }
    const why = probes.map((p) => `${p.node}: ${p.failure ?? "no answer"}`).join("; ");
    throw new AsixError("NODE_UNAVAILABLE", `no usable discovery node among ${nodes.length} (${why})`, {
      details: { probes: probes.map(({ node, ms, failure }) => ({ node, ms: Math.round(ms), failure })) },
    });
  }
}

/**
 * Probe every node at once and judge each answer. Resolve when all have answered, or `raceWindowMs`
 * after the first usable one, so a hanging node costs the window, not the whole timeout.
 */
function raceHealth(nodes: string[], probe: (node: string) => Promise<HealthProbe>, options: ResolvedSelectionOptions): Promise<HealthProbe[]> {
  return new Promise((resolve) => {
    const answers: HealthProbe[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      if (timer !== undefined) clearTimeout(timer);
      resolve([...answers]);
    };
    for (const node of nodes) {
      void probe(node).then((answer) => {
        if (!answer.failure) answer.failure = judgeDiscoveryHealth(answer.body, options.maxBlocksBehind);
        answers.push(answer);
        if (answers.length === nodes.length) finish();
        else if (!answer.failure && timer === undefined) timer = setTimeout(finish, options.raceWindowMs);
      });
    }
  });
}
