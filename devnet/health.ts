import { AsixError } from "../sdk/errors";

/** Poll until `check` holds; conditions, not sleeps, decide when the devnet is ready. */
export async function waitUntil(check: () => Promise<boolean>, failure: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new AsixError("NODE_UNAVAILABLE", failure);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Wait until every service answers a healthy /health_check (asked of all at once: each is its own server). */
export async function waitHealthy(urls: string[], timeoutMs = 30_000): Promise<void> {
  await Promise.all(
    urls.map((url) =>
      waitUntil(
        async () => {
          const res = await fetch(`${url}/health_check`);
          if (!res.ok) return false;
          const body = (await res.json()) as { data?: { healthy?: boolean } };
          return body.data?.healthy !== false;
        },
        `${url} did not become healthy in ${timeoutMs} ms`,
        timeoutMs,
      ),
    ),
  );
}

/** Wait until the discovery node lists `count` content nodes from the eth chain's registry. */
export async function waitListedContentNodes(discoveryUrl: string, count: number): Promise<void> {
  await waitUntil(async () => {
    const health = (await (await fetch(`${discoveryUrl}/health_check`)).json()) as { data: { network: { content_nodes: unknown[] } } };
    return health.data.network.content_nodes.length === count;
  }, "the discovery node did not list the registered content nodes");
}
