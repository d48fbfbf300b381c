/**
 * Issue 2's figures: devnet cold start to healthy and its RSS, gas per manageEntity action, and SDK
 * upload/stream MB/s for a 50 MB file — each against a baseline measured in the same run (a raw
 * disk copy of the same bytes; a single empty chain start).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { execFileSync } from "node:child_process";
import { JsonRpcProvider } from "ethers";
import { startDevnet } from "../devnet";
import { startChain } from "../devnet/chain";
import { createAsix } from "../sdk";
import { writeResult, round } from "./util";

const FFMPEG: string = require("@ffmpeg-installer/ffmpeg").path;

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "asix-bench-devnet-"));

  // Baseline: one bare chain.
  let t = performance.now();
  const bare = await startChain({ chainId: 999 });
  const bareChainMs = performance.now() - t;
  await bare.close();

  const rssBefore = process.memoryUsage().rss;
  t = performance.now();
  const devnet = await startDevnet({ dir: path.join(tmp, "devnet"), logs: false });
  const coldStartMs = performance.now() - t;
  await new Promise((r) => setTimeout(r, 500));
  const rss = process.memoryUsage().rss;

  try {
    const key = (i: number) => devnet.accounts[i].privateKey;
    const alice = createAsix({ network: devnet, wallet: key(10) });
    const bob = createAsix({ network: devnet, wallet: key(11) });
    const data = new JsonRpcProvider(devnet.dataChain.url, devnet.dataChain.chainId, { staticNetwork: true });
    const gasOf = async (r: { transactionHash: string }) => Number((await data.getTransactionReceipt(r.transactionHash))!.gasUsed);

    const gas: Record<string, number> = {};
    const a = await alice.users.create({ handle: "bench_alice", bio: "benchmarks" });
    gas["User Create"] = await gasOf(a);
    const b = await bob.users.create({ handle: "bench_bob" });
    const f = await bob.users.follow(a.userId);
    gas["User Follow"] = await gasOf(f);
    gas["User Unfollow"] = await gasOf(await bob.users.unfollow(a.userId));

    // A 50 MB audio file (long low-bitrate mp3 tone, padded by bitrate to ~50 MB).
    const mp3 = path.join(tmp, "bench-50mb.mp3");
    execFileSync(FFMPEG, ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=330:duration=1300", "-c:a", "libmp3lame", "-b:a", "320k", mp3]);
    const size = fs.statSync(mp3).size;

    // Baseline: raw disk copy of the same bytes.
    t = performance.now();
    await pipeline(fs.createReadStream(mp3), fs.createWriteStream(path.join(tmp, "copy.mp3")));
    const diskCopyMBs = size / 1e6 / ((performance.now() - t) / 1000);

    let uploadDoneAt = 0;
    t = performance.now();
    const track = await alice.tracks.upload(mp3, { title: "bench" }, {
      onProgress: (p) => {
        if (p.phase === "upload" && p.progress >= 1 && !uploadDoneAt) uploadDoneAt = performance.now();
      },
    });
    const totalUploadMs = performance.now() - t;
    const uploadMBs = size / 1e6 / ((uploadDoneAt - t) / 1000);
    gas["Track Create"] = await gasOf(track);

    // Stream the whole rendition through discovery → content node, three times (the first can
    // overlap the new blobs' replication to their peers); the median is reported.
    const trackInfo = await bob.tracks.get(track.trackId);
    const streamRuns: number[] = [];
    let streamed = 0;
    for (let run = 0; run < 3; run++) {
      t = performance.now();
      const res = await bob.tracks.stream(track.trackId);
      streamed = 0;
      for await (const c of res.stream) streamed += (c as Buffer).length;
      streamRuns.push(round(streamed / 1e6 / ((performance.now() - t) / 1000)));
    }
    const streamMBs = [...streamRuns].sort((x, y) => x - y)[1];

    // Baseline for streaming: read the same blob straight from disk.
    const file = path.join(tmp, "copy.mp3");
    t = performance.now();
    let read = 0;
    for await (const c of fs.createReadStream(file)) read += (c as Buffer).length;
    const diskReadMBs = read / 1e6 / ((performance.now() - t) / 1000);

    writeResult("devnet", {
      coldStart: { devnetToHealthyMs: round(coldStartMs), bareChainStartMs: round(bareChainMs), rssMB: round(rss / 1e6), rssBeforeMB: round(rssBefore / 1e6) },
      gasPerManageEntity: gas,
      upload: {
        fileMB: round(size / 1e6),
        sdkUploadMBs: round(uploadMBs),
        diskCopyMBs: round(diskCopyMBs),
        ratioToDiskCopy: round(uploadMBs / diskCopyMBs, 3),
        uploadPlusTranscodePlusWriteMs: round(totalUploadMs),
        durationSeconds: round(trackInfo.duration),
      },
      stream: { streamedMB: round(streamed / 1e6), sdkStreamMBs: round(streamMBs), runsMBs: streamRuns, diskReadMBs: round(diskReadMBs), ratioToDiskRead: round(streamMBs / diskReadMBs, 3) },
    });
    data.destroy();
  } finally {
    await devnet.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
