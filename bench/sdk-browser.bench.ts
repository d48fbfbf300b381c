/**
 * `npm run bench -- sdk-browser`: what the SDK costs a web app, and what it adds to a read.
 * - Gzipped browser bundles (esbuild --bundle --platform=browser --minify, every dependency
 *   included) of tiny apps importing the built SDK (sdk/dist, as packed): read-only (a user,
 *   trending tracks, a stream URL) and everything (createAsix with every namespace, staking and
 *   governance included). Reference SDK's browser build: 418 kB gzipped (measured elsewhere; we
 *   cannot install it here).
 * - SDK overhead per read over a raw fetch + JSON parse of the same URL against a devnet: p50 of
 *   each, interleaved call by call, in several rounds; the median round is reported.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { build } from "esbuild";
import { createAsix, createClient, getUser } from "../sdk";
import { startTestDevnet } from "../test/helpers/devnet";
import { percentile, round, writeResult } from "./util";

const ROOT = path.resolve(__dirname, "..");

const APPS = {
  readOnly: `
    import { createClient, getUser, getTrendingTracks, getStreamUrl } from "@asix/sdk";
    export async function show(network, id) {
      const client = createClient({ network });
      const user = await getUser(client, id);
      const tracks = await getTrendingTracks(client, { limit: 10 });
      return { user, tracks, url: tracks[0] && (await getStreamUrl(client, tracks[0].id)) };
    }`,
  everything: `
    import { createAsix } from "@asix/sdk";
    export function app(network) {
      const asix = createAsix({ network });
      return [asix.auth, asix.users, asix.tracks, asix.playlists, asix.content, asix.staking, asix.governance];
    }`,
};

async function bundleSizes(): Promise<Record<string, { minifiedKB: number; gzipKB: number }>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-sdk-browser-"));
  try {
    // The app resolves @asix/sdk as an installed package would: through its package.json exports
    // and "browser" field, from the built dist.
    fs.mkdirSync(path.join(dir, "node_modules", "@asix"), { recursive: true });
    fs.symlinkSync(path.join(ROOT, "sdk"), path.join(dir, "node_modules", "@asix", "sdk"));
    const out: Record<string, { minifiedKB: number; gzipKB: number }> = {};
    for (const [name, source] of Object.entries(APPS)) {
      const entry = path.join(dir, `${name}.mjs`);
      fs.writeFileSync(entry, source);
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        platform: "browser",
        format: "esm",
        minify: true,
        write: false,
        logLevel: "silent",
        nodePaths: [path.join(ROOT, "node_modules")],
      });
      const bytes = result.outputFiles[0].contents;
      out[name] = { minifiedKB: round(bytes.length / 1024, 1), gzipKB: round(zlib.gzipSync(bytes, { level: 9 }).length / 1024, 1) };
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ROUNDS = 5;
const CALLS = 300;

async function readOverhead() {
  const devnet = await startTestDevnet();
  try {
    const account = devnet.accounts.find((a) => a.index === 10)!.privateKey;
    const asix = createAsix({ network: devnet, wallet: account });
    const { userId } = await asix.users.create({ handle: "bench_reader" });
    const client = createClient({ network: devnet });
    const url = `${client.network.discoveryUrl}/v1/users/${(await getUser(client, userId)).id}`;
    const rounds: { sdkP50: number; rawP50: number; overhead: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const sdk: number[] = [];
      const raw: number[] = [];
      for (let i = 0; i < CALLS; i++) {
        // Interleaved so that load on the shared machine affects both alike.
        let t = process.hrtime.bigint();
        await getUser(client, userId);
        sdk.push(Number(process.hrtime.bigint() - t) / 1e6);
        t = process.hrtime.bigint();
        await (await fetch(url, { headers: { accept: "application/json" } })).json();
        raw.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      sdk.sort((a, b) => a - b);
      raw.sort((a, b) => a - b);
      const sdkP50 = percentile(sdk, 50);
      const rawP50 = percentile(raw, 50);
      rounds.push({ sdkP50: round(sdkP50, 3), rawP50: round(rawP50, 3), overhead: round(sdkP50 - rawP50, 3) });
    }
    const byOverhead = [...rounds].sort((a, b) => a.overhead - b.overhead);
    return { callsPerRound: CALLS, rounds, medianRound: byOverhead[Math.floor(byOverhead.length / 2)] };
  } finally {
    await devnet.stop();
  }
}

async function main() {
  const bundles = await bundleSizes();
  console.log("bundles", bundles);
  const overhead = await readOverhead();
  console.log("read overhead (ms)", overhead.medianRound);
  writeResult("sdk-browser", {
    reference: { package: "@audius/sdk browser build", gzipKB: 418, note: "measured elsewhere; not installable here" },
    targets: { readOnlyGzipKB: 30, everythingGzipKB: 150, readOverheadP50Ms: 1 },
    bundles: { ...bundles, note: "esbuild --bundle --platform=browser --minify, every dependency included, from sdk/dist via its package.json" },
    readOverheadMs: { ...overhead, note: "getUser vs fetch + res.json() of the same discovery URL, p50 per round, interleaved; medianRound by overhead" },
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
