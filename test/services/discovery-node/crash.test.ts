import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { expect } from "chai";
import pg from "pg";
import { canonicalDump, openDb, startIndexer } from "../../../devnet/services/discovery-node";
import { discoveryDatabaseUrl } from "../../helpers/postgres";
import { BACKEND } from "./fixture";
import { startDataChain, type DataChainFixture } from "../../helpers/dataChain";
import { planWorkload, sendWorkload, signWorkload } from "./workload";

const MAIN = path.resolve(__dirname, "../../../devnet/services/discovery-node/main.ts");

/**
 * The indexer runs as a child process and is SIGKILLed at random points of a backfill, several
 * times; after a final run the database must equal a clean full index of the same chain.
 */
describe(`discovery node (${BACKEND}): crash during backfill`, function () {
  this.timeout(180_000);
  let fx: DataChainFixture;
  const dirs: string[] = [];
  let child: ChildProcess | undefined;
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "asix-dn-crash-"));
    dirs.push(d);
    return d;
  };

  before(async () => {
    fx = await startDataChain();
    const plan = planWorkload({ users: 40, tracks: 200, social: 760, playlists: 20 }, 7);
    await sendWorkload(fx, signWorkload(plan, fx.entityManagerAddress), 16);
  });
  after(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await fx?.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  function runIndexerChild(dir: string, databaseUrl: string | undefined): ChildProcess {
    return spawn(process.execPath, ["--import", "tsx", MAIN], {
      env: {
        ...process.env,
        ASIX_MODE: "indexer",
        ASIX_DIR: dir,
        ASIX_DATABASE_URL: databaseUrl ?? "",
        ASIX_DATA_RPC_URL: fx.chain.url,
        ASIX_ENTITY_MANAGER_ADDRESS: fx.entityManagerAddress,
        ASIX_START_BLOCK: String(fx.deployBlock),
        ASIX_MAX_BLOCKS_PER_BATCH: "1",
        ASIX_POLL_INTERVAL_MS: "20",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  // one read-only connection per index, kept open while the child writes (WAL lets both run on SQLite)
  const readers = new Map<string, Database.Database>();
  const pgReaders = new Map<string, pg.Client>();
  after(async () => {
    readers.forEach((db) => db.close());
    for (const c of pgReaders.values()) await c.end().catch(() => {});
  });
  const checkpointOf = async (dir: string, databaseUrl: string | undefined): Promise<number> => {
    const sql = "SELECT last_block FROM indexing_checkpoint WHERE id = 1";
    try {
      if (databaseUrl) {
        let client = pgReaders.get(databaseUrl);
        if (!client) {
          client = new pg.Client({ connectionString: databaseUrl });
          await client.connect();
          pgReaders.set(databaseUrl, client);
        }
        const row = (await client.query(sql)).rows[0] as { last_block: string } | undefined;
        return row ? Number(row.last_block) : -1;
      }
      const file = path.join(dir, "discovery.sqlite");
      let db = readers.get(dir);
      if (!db) {
        if (!fs.existsSync(file)) return -1;
        db = new Database(file, { readonly: true, fileMustExist: true });
        readers.set(dir, db);
      }
      const row = db.prepare(sql).get() as { last_block: number } | undefined;
      return row?.last_block ?? -1;
    } catch {
      return -1; // the schema is not there yet
    }
  };

  const exited = (c: ChildProcess) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once("exit", () => resolve())));

  it("after several kills mid-backfill, the index equals a clean full index", async () => {
    const head = await fx.provider.getBlockNumber();
    const first = fx.deployBlock;
    const crashDir = tmp();
    const crashUrl = await discoveryDatabaseUrl();
    const killedAt: number[] = [];
    for (let run = 0; run < 4; run++) {
      const before = (await checkpointOf(crashDir, crashUrl));
      // a random target block between where we are and the head: kill as soon as it is passed
      const from = Math.max(before, first);
      const target = from + 1 + Math.floor(Math.random() * Math.max(1, (head - from) * 0.6));
      child = runIndexerChild(crashDir, crashUrl);
      const deadline = Date.now() + 60_000;
      while ((await checkpointOf(crashDir, crashUrl)) < target && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 10));
      }
      child.kill("SIGKILL");
      await exited(child);
      const at = (await checkpointOf(crashDir, crashUrl));
      killedAt.push(at);
      if (process.env.ASIX_TEST_VERBOSE) console.log(`      run ${run}: target ${target}, killed at ${at} after ${Date.now() - deadline + 60_000} ms`);
      expect(at, "the indexer made progress before the kill").to.be.greaterThan(before);
      expect(at, "the kill landed mid-backfill").to.be.lessThan(head);
    }
    // the last run finishes the backfill, then stops cleanly
    child = runIndexerChild(crashDir, crashUrl);
    const deadline = Date.now() + 60_000;
    while ((await checkpointOf(crashDir, crashUrl)) < head && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGTERM");
    await exited(child);
    expect((await checkpointOf(crashDir, crashUrl))).to.equal(head);

    // a clean full index of the same chain, in process
    const cleanDir = tmp();
    const cleanDb = await openDb(cleanDir, await discoveryDatabaseUrl());
    const indexer = await startIndexer({ db: cleanDb, rpcUrl: fx.chain.url, entityManagerAddress: fx.entityManagerAddress, startBlock: fx.deployBlock, pollIntervalMs: 20 });
    await indexer.caughtUp();
    await indexer.stop();

    const crashDb = await openDb(crashDir, crashUrl);
    const crashed = await canonicalDump(crashDb);
    const clean = await canonicalDump(cleanDb);
    await crashDb.close();
    await cleanDb.close();
    expect(clean).to.match(/## actions \((\d{4,})\)/); // a real backfill: over a thousand actions
    expect(crashed === clean, `dumps differ after kills at blocks ${killedAt.join(", ")}`).to.equal(true);
  });
});
