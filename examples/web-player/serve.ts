// `npx tsx examples/web-player/serve.ts [port]` with a devnet up: build the page and serve it.
import { findState } from "../../devnet/state";
import { buildWebPlayer } from "./build";
import { serveWebPlayer } from "./server";

async function main() {
  const devnet = findState();
  const { dir, bundleBytes } = await buildWebPlayer();
  const server = await serveWebPlayer({ dir, network: devnet, port: Number(process.argv[2] ?? 5173) });
  console.log(`web player (${(bundleBytes / 1024).toFixed(0)} kB) on ${server.url}, talking to ${devnet.services.discovery[0]}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
