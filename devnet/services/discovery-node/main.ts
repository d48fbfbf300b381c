import { corsOriginsFromEnv } from "../cors";
import { createLogger } from "../http";
import { serveFromEnv } from "../node-runtime/tls";
import { openDb } from "./db";
import { startDiscoveryNode } from "./index";
import { startIndexer } from "./indexer";

/**
 * Run a discovery node from ASIX_* environment variables:
 *   ASIX_DIR, ASIX_PORT, ASIX_PRIVATE_KEY, ASIX_DATA_RPC_URL, ASIX_DATA_CHAIN_ID,
 *   ASIX_ENTITY_MANAGER_ADDRESS, ASIX_START_BLOCK, ASIX_IDENTITY_URL,
 *   ASIX_CONTENT_NODES (comma-separated), ASIX_POLL_INTERVAL_MS, ASIX_CONFIRMATIONS,
 *   ASIX_MAX_BLOCKS_PER_BATCH, ASIX_LOG=1 (log lines to stderr),
 *   ASIX_TLS_CERT and ASIX_TLS_KEY (serve HTTPS), ASIX_CA_FILE (an extra CA to trust), ASIX_DRAIN_MS (drain on SIGTERM),
 *   ASIX_CORS_ORIGINS (* or comma-separated origins whose pages may call the node; default *),
 *   ASIX_DATABASE_URL (postgres://…: index into PostgreSQL instead of ASIX_DIR/discovery.sqlite).
 * ASIX_MODE=indexer runs only the indexer (no HTTP), as the crash test does.
 */
const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) {
    process.stderr.write(`missing environment variable ${name}\n`);
    process.exit(2);
  }
  return v;
};
const optionalNumber = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);

async function main() {
  const log = createLogger("discovery-node", process.env.ASIX_LOG ? (line) => process.stderr.write(line) : undefined);
  let stop: () => Promise<void>;
  if (process.env.ASIX_MODE === "indexer") {
    const db = await openDb(env("ASIX_DIR"), process.env.ASIX_DATABASE_URL || undefined, log);
    const indexer = await startIndexer({
      db,
      rpcUrl: env("ASIX_DATA_RPC_URL"),
      entityManagerAddress: env("ASIX_ENTITY_MANAGER_ADDRESS"),
      startBlock: optionalNumber("ASIX_START_BLOCK"),
      pollIntervalMs: optionalNumber("ASIX_POLL_INTERVAL_MS"),
      confirmations: optionalNumber("ASIX_CONFIRMATIONS"),
      maxBlocksPerBatch: optionalNumber("ASIX_MAX_BLOCKS_PER_BATCH"),
      log,
    });
    process.stdout.write(JSON.stringify({ mode: "indexer", pid: process.pid }) + "\n");
    stop = async () => {
      await indexer.stop();
      await db.close();
    };
  } else {
    const node = await startDiscoveryNode({
      serve: serveFromEnv(),
      dir: env("ASIX_DIR"),
      databaseUrl: process.env.ASIX_DATABASE_URL || undefined,
      port: optionalNumber("ASIX_PORT") ?? 0,
      privateKey: env("ASIX_PRIVATE_KEY"),
      dataChain: {
        rpcUrl: env("ASIX_DATA_RPC_URL"),
        chainId: Number(env("ASIX_DATA_CHAIN_ID", "1056801")),
        entityManagerAddress: env("ASIX_ENTITY_MANAGER_ADDRESS"),
        startBlock: optionalNumber("ASIX_START_BLOCK"),
      },
      identityUrl: env("ASIX_IDENTITY_URL"),
      contentNodes: () => (process.env.ASIX_CONTENT_NODES ?? "").split(",").filter(Boolean),
      pollIntervalMs: optionalNumber("ASIX_POLL_INTERVAL_MS"),
      confirmations: optionalNumber("ASIX_CONFIRMATIONS"),
      corsOrigins: corsOriginsFromEnv(process.env.ASIX_CORS_ORIGINS),
      log,
    });
    process.stdout.write(JSON.stringify({ url: node.url }) + "\n");
    stop = node.stop;
  }
  const shutdown = () => void stop().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((e) => {
  process.stderr.write(`discovery node failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
