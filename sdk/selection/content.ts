import { AsixError } from "../errors";
import { isContentNodeUsable } from "../protocol/health";
import { rendezvousRank } from "../rendezvous";
import type { ResolvedSelectionOptions } from "./options";
import { now, probeHealth, type FetchLike, type HealthProbe } from "./probe";

/**
 * Content nodes in the order a client should try them for a key: rendezvous order (the order the
 * nodes themselves place blobs in, so the first is likely to hold it), healthy nodes only. Health
 * answers are shared for a few seconds, so a burst of uploads or streams probes each node once.
 */
export class ContentNodeHealth {
  private readonly cache = new Map<string, { at: number; probe: Promise<HealthProbe> }>();

  constructor(private readonly config: { options: ResolvedSelectionOptions; fetch: () => FetchLike }) {}

  /** `nodes` ranked for `key`, usable ones only; NODE_UNAVAILABLE when none is. With selection off, the rank unfiltered. */
  async order(nodes: readonly string[], key: string): Promise<string[]> {
    const ranked = rendezvousRank(nodes.map((n) => n.replace(/\/+$/, "")), key);
    if (!this.config.options.enabled) return ranked;
    const probes = await Promise.all(ranked.map((node) => this.probe(node)));
    const usable = probes.filter((p) => !p.failure).map((p) => p.node);
    if (usable.length === 0) {
      const why = probes.map((p) => `${p.node}: ${p.failure}`).join("; ");
      throw new AsixError("NODE_UNAVAILABLE", `no usable content node among ${ranked.length} (${why})`);
    }
    return usable;
  }

  /** A call to `node` failed: forget its health, so the next order asks it again. */
  forget(node: string): void {
    this.cache.delete(node.replace(/\/+$/, ""));
  }

  private probe(node: string): Promise<HealthProbe> {
    const cached = this.cache.get(node);
    if (cached && now() - cached.at < this.config.options.contentHealthTtlMs) return cached.probe;
    const probe = probeHealth(this.config.fetch(), node, this.config.options.healthTimeoutMs).then((p) =>
      p.failure || isContentNodeUsable(p.body) ? p : { ...p, failure: "unusable (disk or transcode backlog)" },
    );
    this.cache.set(node, { at: now(), probe });
    return probe;
  }
}
