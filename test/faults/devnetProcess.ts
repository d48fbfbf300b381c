/**
 * A persistent devnet in its own process, for tests that kill it: `node --import tsx devnetProcess.ts`
 * with ASIX_FAULTS_DIR set. Prints `READY <devnet.json>` once up; SIGTERM stops it cleanly.
 */
import { startDevnet } from "../../devnet";

const dir = process.env.ASIX_FAULTS_DIR;
if (!dir) throw new Error("ASIX_FAULTS_DIR is required");

startDevnet({ dir, persist: true, contentNodes: Number(process.env.ASIX_FAULTS_CONTENT_NODES ?? 2) }).then(
  (devnet) => {
    const { stop, contentNode: _contentNode, ...state } = devnet;
    process.stdout.write(`READY ${JSON.stringify(state)}\n`);
    process.once("SIGTERM", () => void stop().then(() => process.exit(0)));
  },
  (e: Error & { code?: string }) => {
    process.stderr.write(`devnet failed to start: ${e.code ?? ""} ${e.message}\n`);
    process.exit(1);
  },
);
