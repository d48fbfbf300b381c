/**
 * The devnet whose memory `devnet-memory.bench.ts` measures: a default devnet (two chains, three
 * content nodes, a discovery node, the identity service) in this process, as `asix devnet up` runs
 * it. Prints `READY <content node URLs as JSON>` once up; SIGTERM stops it.
 */
import { startDevnet } from "../devnet";

const dir = process.env.ASIX_BENCH_DEVNET_DIR;
if (!dir) throw new Error("ASIX_BENCH_DEVNET_DIR is required");

startDevnet({ dir, logs: false }).then(
  (devnet) => {
    process.stdout.write(`READY ${JSON.stringify(devnet.services.contentNodes)}\n`);
    process.once("SIGTERM", () => void devnet.stop().then(() => process.exit(0)));
  },
  (e: Error) => {
    process.stderr.write(`devnet failed to start: ${e.message}\n`);
    process.exit(1);
  },
);
