import path from "node:path";
import { corsOriginsFromEnv } from "../cors";
import { createLogger } from "../http";
import { serveFromEnv } from "../node-runtime/tls";
import { startContentNode } from "./index";
import type { ReadCheck } from "./integrity";

/**
 * Run one content node from the environment:
 * ASIX_CONTENT_DIR (default ./.asix/content-node), ASIX_PORT (default 0), ASIX_PRIVATE_KEY (required),
 * ASIX_SP_ID, ASIX_REPLICATION_FACTOR, ASIX_PEERS, ASIX_PEER_SIGNERS and ASIX_DISCOVERY_SIGNERS
 * (comma-separated), ASIX_MAX_AUDIO_BYTES, ASIX_MAX_IMAGE_BYTES, ASIX_TRANSCODE_WORKERS,
 * ASIX_REPAIR_INTERVAL_MS, ASIX_LOG=1; ASIX_READ_CHECK (remembered | every-read | off; off only to measure what the check costs);
 * the upload limits ASIX_UPLOADS_PER_MINUTE, ASIX_UPLOADS_IN_FLIGHT, ASIX_MAX_AUDIO_SECONDS (per client address);
 * ASIX_TLS_CERT and ASIX_TLS_KEY (serve HTTPS), ASIX_CA_FILE (an extra CA to trust), ASIX_DRAIN_MS (drain on SIGTERM);
 * ASIX_CORS_ORIGINS (* or comma-separated origins whose pages may call the node; default *).
 */
const env = process.env;
const list = (v: string | undefined) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : []);
const num = (v: string | undefined) => (v ? Number(v) : undefined);

async function main() {
  if (!env.ASIX_PRIVATE_KEY) {
    process.stderr.write("ASIX_PRIVATE_KEY is required (the node's delegate wallet)\n");
    process.exit(1);
  }
  let self = "";
  const peers = list(env.ASIX_PEERS);
  const node = await startContentNode({
    serve: serveFromEnv(),
    dir: env.ASIX_CONTENT_DIR ?? path.resolve(".asix/content-node"),
    port: num(env.ASIX_PORT) ?? 0,
    privateKey: env.ASIX_PRIVATE_KEY,
    spId: num(env.ASIX_SP_ID),
    replicationFactor: num(env.ASIX_REPLICATION_FACTOR),
    peers: () => (peers.includes(self) || !self ? peers : [...peers, self]),
    peerSigners: () => list(env.ASIX_PEER_SIGNERS),
    discoverySigners: () => list(env.ASIX_DISCOVERY_SIGNERS),
    maxAudioBytes: num(env.ASIX_MAX_AUDIO_BYTES),
    maxImageBytes: num(env.ASIX_MAX_IMAGE_BYTES),
    uploadLimits: {
      perIpPerMinute: num(env.ASIX_UPLOADS_PER_MINUTE),
      perIpConcurrent: num(env.ASIX_UPLOADS_IN_FLIGHT),
      maxAudioSeconds: num(env.ASIX_MAX_AUDIO_SECONDS),
    },
    transcodeWorkers: num(env.ASIX_TRANSCODE_WORKERS),
    analysisWorkers: num(env.ASIX_ANALYSIS_WORKERS),
    repairIntervalMs: num(env.ASIX_REPAIR_INTERVAL_MS),
    readCheck: env.ASIX_READ_CHECK as ReadCheck | undefined,
    corsOrigins: corsOriginsFromEnv(env.ASIX_CORS_ORIGINS),
    log: createLogger("content-node", env.ASIX_LOG ? (line) => process.stdout.write(line) : undefined),
  });
  self = node.url;
  // the process's contract with whoever started it (tests read the URL from here), not a log line
  process.stdout.write(`content node listening on ${node.url}\n`);
  const shutdown = () => void node.stop().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

void main();
