import { isContentNodeUsable } from "../../../../sdk/protocol/health";

/** Remembers which content nodes answered /health_check usable (the clients' rule), for a few seconds. */
export class ContentNodeHealth {
  private readonly seen = new Map<string, { healthy: boolean; at: number }>();
  constructor(private readonly ttlMs = 10_000, private readonly timeoutMs = 1_000) {}

  async isHealthy(node: string): Promise<boolean> {
    const cached = this.seen.get(node);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.healthy;
    let healthy = false;
    try {
      const res = await fetch(`${node.replace(/\/+$/, "")}/health_check`, { signal: AbortSignal.timeout(this.timeoutMs) });
      healthy = res.ok && isContentNodeUsable(await res.json().catch(() => undefined));
    } catch {
      healthy = false;
    }
    this.seen.set(node, { healthy, at: Date.now() });
    return healthy;
  }

  /** The first node, in the given order, that is healthy; undefined when none is. */
  async firstHealthy(nodes: string[]): Promise<string | undefined> {
    for (const node of nodes) if (await this.isHealthy(node)) return node;
    return undefined;
  }
}
