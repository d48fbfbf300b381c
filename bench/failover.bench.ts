/**
 * `npm run bench -- failover`: how long a client takes to serve a read after its discovery node
 * stops (target ≤ 1 s, issue 14), beside a plain read on a healthy node and what the same read does
 * with selection off, all measured in this run on one devnet with two discovery nodes.
 */
import { performance } from "node:perf_hooks";
import { createAsix, isAsixError } from "../sdk";
import type { SelectionEvent } from "../sdk/selection";
import { startTestDevnet } from "../test/helpers/devnet";
import { percentile, round, writeResult } from "./util";

const FAILOVERS = 5;
const PLAIN_READS = 30;

async function main() {
  const devnet = await startTestDevnet({ contentNodes: 1, discoveryNodes: 2, logs: false });
  try {
    const artist = createAsix({ network: devnet, wallet: devnet.accounts[15].privateKey });
    const { userId } = await artist.users.create({ handle: "bencher" });
    const nodeIndex = (url: string) => devnet.services.discovery.indexOf(url);

    // Baseline: a read on the node already chosen.
    const reader = createAsix({ network: devnet });
    await reader.users.get(userId);
    const plain: number[] = [];
    for (let i = 0; i < PLAIN_READS; i++) {
      const t0 = performance.now();
      await reader.users.get(userId);
      plain.push(performance.now() - t0);
    }

    // Failover: stop the chosen node, time the next read, restart the node.
    const failovers: Array<{ ms: number; failoverEventMs: number; reselectMs: number }> = [];
    for (let i = 0; i < FAILOVERS; i++) {
      const events: SelectionEvent[] = [];
      const client = createAsix({ network: devnet, onEvent: (e) => events.push(e) });
      await client.users.get(userId);
      const chosen = client.client.selection.discovery.node!;
      const handle = devnet.discoveryNode(nodeIndex(chosen));
      await handle.stop();
      const t0 = performance.now();
      await client.users.get(userId);
      const ms = performance.now() - t0;
      const failover = events.find((e) => e.type === "failover");
      const reselect = events.filter((e) => e.type === "select").at(-1);
      if (!failover || !reselect || reselect.node === chosen) throw new Error("the read did not fail over");
      failovers.push({ ms: round(ms), failoverEventMs: failover.ms, reselectMs: reselect.ms });
      await handle.restart();
    }

    // Without selection: the client stays on its first node.
    const pinned = createAsix({ network: { ...devnet, services: { ...devnet.services, discovery: [devnet.services.discovery[0]] } }, selection: false, retry: false });
    await pinned.users.get(userId);
    await devnet.discoveryNode(0).stop();
    const t0 = performance.now();
    const outcome = await pinned.users.get(userId).then(
      () => "served",
      (e: unknown) => (isAsixError(e) ? e.code : String(e)),
    );
    const pinnedMs = performance.now() - t0;
    await devnet.discoveryNode(0).restart();

    const sortedPlain = [...plain].sort((a, b) => a - b);
    const sortedFailover = failovers.map((f) => f.ms).sort((a, b) => a - b);
    writeResult("failover", {
      setup: "one devnet, 2 discovery nodes on 127.0.0.1; the client's chosen discovery node is stopped, then the next read is timed",
      target: "failover read ≤ 1000 ms (median)",
      failoverReadMs: { median: round(percentile(sortedFailover, 50)), max: round(sortedFailover.at(-1)!), runs: failovers },
      baselinePlainReadMs: { p50: round(percentile(sortedPlain, 50)), p90: round(percentile(sortedPlain, 90)), n: PLAIN_READS },
      withoutSelection: { outcome, ms: round(pinnedMs) },
    });
  } finally {
    await devnet.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
