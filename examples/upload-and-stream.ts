// Publish a track with a progress bar, then stream it back:
// `npx tsx examples/upload-and-stream.ts <audio file>` with a devnet up (npx asix devnet up).
import { Wallet } from "ethers";
import { createAsix, type UploadTrackParameters } from "../sdk";
import { findState } from "../devnet/state";

type Progress = Parameters<NonNullable<UploadTrackParameters["onProgress"]>>[0];

export async function uploadAndStream(audioFile: string, devnet = findState(), log: (line: string) => void = console.log) {
  // A brand-new wallet is enough: data-chain writes are relayed, so it needs no gas.
  const asix = createAsix({ network: devnet, wallet: Wallet.createRandom() });
  await asix.users.create({ handle: `streamer_${Date.now() % 1e9}` });

  const phases: Progress[] = [];
  const { trackId, duration } = await asix.tracks.upload(audioFile, { title: "Upload and stream", genre: "Ambient" }, {
    onProgress: (p) => {
      phases.push(p);
      log(`${p.phase.padEnd(9)} ${"#".repeat(Math.round(p.progress * 20)).padEnd(20, ".")} ${Math.round(p.progress * 100)}%`);
    },
  });

  // `stream` is async-iterable whether it is a Node Readable or a web ReadableStream.
  const { stream, contentType, contentLength, url } = await asix.tracks.stream(trackId);
  let received = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array>) received += chunk.byteLength;
  log(`streamed ${received} bytes of ${contentType} (${duration.toFixed(1)} s) from ${new URL(url).origin}`);
  return { trackId, duration, phases, received, contentLength, contentType };
}

if (require.main === module) {
  uploadAndStream(process.argv[2]).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
