import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { canonicalDump, openDb, startIndexer } from "../../devnet/services/discovery-node";
import type { DevnetState } from "../../devnet";
import type { SavedNetwork } from "../../devnet/persistence";

/** Wait until the devnet's discovery node has indexed its data chain's head. */
export async function discoveryCaughtUp(devnet: DevnetState, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const head = await chainHead(devnet.dataChain.url);
    const health = (await (await fetch(`${devnet.services.discovery[0]}/health_check`)).json()) as { data: { latest_indexed_block: number } };
    if (health.data.latest_indexed_block >= head) return;
    if (Date.now() > deadline) throw new Error(`the discovery node is at block ${health.data.latest_indexed_block}, the chain at ${head}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Play counts come from listeners, not from the chain (the checks here stream every track), so a
 * fresh reindex has none: the live index is compared with its play counts set aside.
 */
async function dumpWithoutPlays(live: Database.Database, dir: string): Promise<string> {
  const copyDir = path.join(dir, "live-copy");
  fs.mkdirSync(copyDir);
  await live.backup(path.join(copyDir, "discovery.sqlite"));
  const copy = await openDb(copyDir);
  try {
    await copy.run("UPDATE tracks SET play_count = 0");
    return await canonicalDump(copy);
  } finally {
    await copy.close();
  }
}

/**
 * The devnet's discovery index, and a fresh index of the same chain built by a second indexer on an
 * empty database, as canonical dumps: after a crash they must be equal.
 */
export async function indexAndFreshReindex(devnet: DevnetState): Promise<{ index: string; fresh: string }> {
  await discoveryCaughtUp(devnet);
  const network = JSON.parse(fs.readFileSync(path.join(devnet.dir, "network.json"), "utf8")) as SavedNetwork;
  const live = new Database(path.join(devnet.dir, "data", "discovery-node", "discovery.sqlite"), { readonly: true, fileMustExist: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-reindex-"));
  const db = await openDb(dir);
  try {
    const indexer = await startIndexer({ db, rpcUrl: devnet.dataChain.url, entityManagerAddress: network.entityManager.address, startBlock: network.entityManager.block, pollIntervalMs: 20 });
    await indexer.caughtUp();
    await indexer.stop();
    return { index: await dumpWithoutPlays(live, dir), fresh: await canonicalDump(db) };
  } finally {
    live.close();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function chainHead(url: string): Promise<number> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }) });
  return Number(((await res.json()) as { result: string }).result);
}
