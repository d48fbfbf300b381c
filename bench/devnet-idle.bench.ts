/**
 * Issue 15's idle figures: the CPU an idle default devnet burns, and how soon a write still shows.
 *
 * 1. Idle CPU: a default devnet (two chains, three content nodes, a discovery node, the identity
 *    service, all in this process) is left alone for IDLE_SECONDS after it settles; the figure is
 *    this process's user + system CPU time over that window, as % of one core. Baseline, in the same
 *    run: the same window measured on this process before the devnet starts (node itself, idle).
 * 2. Write to read: a User Create sent straight to the data chain by a funded wallet, timed from
 *    the send until the discovery node answers the user (polled every 2 ms), WRITE_RUNS times.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import { startDevnet } from "../devnet";
import { encodeManageEntityCall, randomNonce, signManageEntity } from "../sdk/eip712";
import { encodeHashId } from "../sdk/hashids";
import { round, spread, writeResult } from "./util";
import { profiled } from "./profile";

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const BASELINE_SECONDS = 10;
const SETTLE_MS = 5_000;
const WRITE_RUNS = 7;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** % of one core this process used over `seconds` of doing nothing itself. */
async function cpuPercent(seconds: number): Promise<{ percentOfOneCore: number; cpuSeconds: number }> {
  const before = process.cpuUsage();
  const t = performance.now();
  await sleep(seconds * 1000);
  const used = process.cpuUsage(before);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { percentOfOneCore: round((100 * cpuSeconds) / ((performance.now() - t) / 1000), 2), cpuSeconds: round(cpuSeconds, 3) };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "asix-bench-idle-"));
  const load = os.loadavg()[0];
  await sleep(2_000); // let module loading finish before the baseline window
  const baseline = await cpuPercent(BASELINE_SECONDS);
  const devnet = await startDevnet({ dir: path.join(tmp, "devnet"), logs: false });
  try {
    await sleep(SETTLE_MS);
    // BENCH_CPU_PROF=dir also writes the quiet window's CPU profile there (it costs some CPU itself)
    const idle = process.env.BENCH_CPU_PROF ? (await profiled(() => cpuPercent(IDLE_SECONDS))).result : await cpuPercent(IDLE_SECONDS);

    const provider = new JsonRpcProvider(devnet.dataChain.url, devnet.dataChain.chainId, { staticNetwork: true, cacheTimeout: -1 });
    const discovery = devnet.services.discovery[0];
    const domain = { chainId: devnet.dataChain.chainId, verifyingContract: devnet.dataChain.contracts.entityManager };
    const sender = new Wallet(devnet.accounts[12].privateKey, provider);
    let nonce = await provider.getTransactionCount(sender.address, "pending");
    const totalMs: number[] = [];
    const minedMs: number[] = [];
    for (let run = 0; run < WRITE_RUNS; run++) {
      const signer = Wallet.createRandom();
      const userId = 4_000_000 + run;
      const message = {
        userId, entityType: "User", entityId: userId, action: "Create",
        metadata: JSON.stringify({ cid: "", data: { handle: `idle_${run}`, wallet: signer.address } }), nonce: randomNonce(),
      };
      const data = encodeManageEntityCall(message, await signManageEntity(signer, domain, message));
      const signed = await sender.signTransaction({
        type: 2, chainId: devnet.dataChain.chainId, nonce: nonce++, to: domain.verifyingContract, data,
        gasLimit: 300_000n, maxFeePerGas: 10n ** 11n, maxPriorityFeePerGas: 10n ** 9n,
      });
      await sleep(1_000); // idle between writes, so each one wakes a quiet devnet
      const t = performance.now();
      await provider.send("eth_sendRawTransaction", [signed]);
      minedMs.push(performance.now() - t);
      while ((await fetch(`${discovery}/v1/users/${encodeHashId(userId)}`)).status !== 200) await sleep(2);
      totalMs.push(performance.now() - t);
    }
    provider.destroy();

    writeResult("devnet-idle", {
      machineLoadAverageAtStart: round(load, 1),
      idle: {
        measured: `CPU time of the process running a default devnet (2 chains, 3 content nodes, discovery, identity), ${IDLE_SECONDS} s with no traffic, after ${SETTLE_MS / 1000} s to settle`,
        devnet: idle,
        baselineBeforeStart: { seconds: BASELINE_SECONDS, ...baseline },
        target: "<= 1 % of one core",
      },
      writeToRead: {
        measured: `a User Create sent to the data chain until the discovery node answers GET /v1/users/:id (polled every 2 ms), ${WRITE_RUNS} writes 1 s apart`,
        totalMs: spread(totalMs, 1),
        sendUntilMinedMs: spread(minedMs, 1),
        target: "<= 100 ms",
      },
    });
  } finally {
    await devnet.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error("devnet-idle bench failed:", e);
    process.exit(0); // benchmarks report; they never fail
  },
);
