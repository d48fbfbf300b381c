/**
 * Issue 6's and 15's relay figures: sustained POST /relay throughput (actions/s) and p50/p99 latency
 * from request to confirmed receipt, 50 signers with 50 requests in flight, as the median (with
 * min and max) of RELAY_RUNS runs. The relay calls the data chain in process, on this thread, as
 * inside the devnet. Each run alternates with a baseline run of the same load on a relay that
 * reaches the chain over HTTP JSON-RPC (as `asix node run identity-service` does), and with a run
 * on a second network whose chain runs in a worker thread of its own (devnet/chainThread.ts, which
 * the devnet could use), each on a freshly started identity service. Other baselines, on the first
 * network's chain:
 * the same kind of actions sent directly by one funded wallet (sign, send, wait for the receipt,
 * one after another), and the chain at one transaction per block (pre-signed transactions
 * submitted back to back, each mined before the next is sent). The devnet's data chain batches
 * concurrent transactions into one block (devnet/chain.ts, mining "batched"); blocksMined shows how
 * many blocks the relay's actions took. Every relayed action must be in the discovery index once.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { Signature, Wallet, recoverAddress } from "ethers";
import { DATA_CHAIN_ID } from "../test/helpers/dataChain";
import { DEVNET_ROLES } from "../devnet/accounts";
import { manageEntityDigest, randomNonce, signManageEntity } from "../sdk/eip712";
import { startRelayNetwork, type RelayNetwork } from "./relayNetwork";
import { pairedRatio, percentile, round, spread, writeResult } from "./util";
import { profiled } from "./profile";

const ACTIONS = Number(process.env.BENCH_RELAY_ACTIONS ?? 600);
const RELAY_RUNS = 3;
const SIGNERS = 50;
const IN_FLIGHT = 50;

async function main() {
  const loadAtStart = os.loadavg()[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-bench-identity-"));
  const signers = Array.from({ length: SIGNERS }, () => Wallet.createRandom());
  const onMain = await startRelayNetwork({ inWorker: false, dir: path.join(dir, "on-main"), signers });
  let inThread: RelayNetwork | undefined;
  try {
    inThread = await startRelayNetwork({ inWorker: true, dir: path.join(dir, "in-thread"), signers });
    const { fx, sign } = onMain;
    const domain = { chainId: DATA_CHAIN_ID, verifyingContract: fx.entityManagerAddress };
    const userIds = signers.map((_, s) => 3_000_000 + s);

    // ---- baseline: one wallet sends the actions itself, one after another -----------------------
    const direct = fx.wallet(DEVNET_ROLES.users[0]);
    const directCalls = await Promise.all(Array.from({ length: ACTIONS }, (_, i) => sign(direct, i)));
    let nonce = await fx.provider.getTransactionCount(direct.address, "pending");
    const block = await fx.provider.send("eth_getBlockByNumber", ["latest", false]);
    const maxFeePerGas = BigInt(block.baseFeePerGas) * 2n + 10n ** 9n;
    const directLatencies: number[] = [];
    let started = performance.now();
    for (const data of directCalls) {
      const t = performance.now();
      const signed = await direct.signTransaction({
        type: 2, chainId: DATA_CHAIN_ID, nonce: nonce++, to: fx.entityManagerAddress, data,
        gasLimit: 200_000n, maxFeePerGas, maxPriorityFeePerGas: 10n ** 9n,
      });
      const hash = await fx.provider.send("eth_sendRawTransaction", [signed]);
      while (!(await fx.provider.send("eth_getTransactionReceipt", [hash]))) await new Promise((r) => setTimeout(r, 5));
      directLatencies.push(performance.now() - t);
    }
    const directSeconds = (performance.now() - started) / 1000;

    // ---- the chain's ceiling: pre-signed transactions, submitted back to back ------------------
    const ceilingWallet = fx.wallet(DEVNET_ROLES.users[1]);
    let ceilingNonce = await fx.provider.getTransactionCount(ceilingWallet.address, "pending");
    const preSigned: string[] = [];
    for (let i = 0; i < ACTIONS; i++) {
      preSigned.push(
        await ceilingWallet.signTransaction({
          type: 2, chainId: DATA_CHAIN_ID, nonce: ceilingNonce++, to: fx.entityManagerAddress, data: await sign(ceilingWallet, ACTIONS + i),
          gasLimit: 200_000n, maxFeePerGas, maxPriorityFeePerGas: 10n ** 9n,
        }),
      );
    }
    started = performance.now();
    for (const signed of preSigned) await fx.provider.send("eth_sendRawTransaction", [signed]);
    const ceilingSeconds = (performance.now() - started) / 1000;

    // ---- the chain's ceiling with batching: the same pre-signed load from 8 wallets at once -------
    const batchWallets = DEVNET_ROLES.users.slice(2, 10).map((i) => fx.wallet(i));
    const batchedSigned: string[][] = [];
    for (const [w, wallet] of batchWallets.entries()) {
      let n = await fx.provider.getTransactionCount(wallet.address, "pending");
      const mine: string[] = [];
      for (let i = w; i < ACTIONS; i += batchWallets.length) {
        mine.push(await wallet.signTransaction({
          type: 2, chainId: DATA_CHAIN_ID, nonce: n++, to: fx.entityManagerAddress, data: await sign(wallet, 2 * ACTIONS + i),
          gasLimit: 200_000n, maxFeePerGas, maxPriorityFeePerGas: 10n ** 9n,
        }));
      }
      batchedSigned.push(mine);
    }
    const batchedBlockBefore = await fx.provider.getBlockNumber();
    started = performance.now();
    await Promise.all(batchedSigned.map(async (mine) => { for (const signed of mine) await fx.provider.send("eth_sendRawTransaction", [signed]); }));
    const batchedCeilingSeconds = (performance.now() - started) / 1000;
    const batchedCeilingBlocks = (await fx.provider.getBlockNumber()) - batchedBlockBefore;

    // ---- signature recovery, as the relay does it once per action, alone ------------------------
    const typed = signers.slice(0, 10).map(async (signer, i) => {
      const message = { userId: userIds[i], entityType: "User", entityId: 1, action: "Follow", metadata: "", nonce: randomNonce() };
      const signature = await signManageEntity(signer, domain, message);
      return { digest: manageEntityDigest(domain, message), signature };
    });
    const toRecover = await Promise.all(typed);
    const recoverRuns = 300;
    started = performance.now();
    for (let i = 0; i < recoverRuns; i++) recoverAddress(toRecover[i % toRecover.length].digest, Signature.from(toRecover[i % toRecover.length].signature));
    const recoverMs = (performance.now() - started) / recoverRuns;

    // ---- the relay: 50 signers, 50 requests in flight, alternating with the over-HTTP baseline ----
    const relayRun = async (network: RelayNetwork, inProcess: boolean, run: number) => {
      const { fx } = network;
      const bodies = await Promise.all(
        Array.from({ length: ACTIONS }, async (_, i) => {
          const signer = signers[i % SIGNERS];
          const n = (3 + 2 * run + (inProcess ? 0 : 1)) * ACTIONS + i;
          return { contractRegistryKey: "EntityManager", contractAddress: fx.entityManagerAddress, encodedABI: await network.sign(signer, n), senderAddress: signer.address, gasLimit: 0 };
        }),
      );
      const relay = await network.identityService(inProcess);
      try {
        // The load generator runs in its own process, as autocannon does in the other benches.
        const jobFile = path.join(network.dir, "relay-load.json");
        fs.writeFileSync(jobFile, JSON.stringify({ url: `${relay.url}/relay`, inFlight: IN_FLIGHT, bodies }));
        const blockBefore = await fx.provider.getBlockNumber();
        const cpuBefore = process.cpuUsage();
        // Profiled: chain, identity service and discovery node share this process, as on the devnet,
        // so where its main thread spends the relay's time is where the ceiling is.
        const { result: load, selfTimeShare } = await profiled(
          () =>
            new Promise<{ seconds: number; latenciesMs: number[]; failures: Record<string, number>; transactionHashes: string[] }>((resolve, reject) =>
              execFile(process.execPath, ["--import", "tsx", path.join(__dirname, "relayLoad.ts"), jobFile], { maxBuffer: 64 << 20 }, (err, stdout) =>
                err ? reject(err) : resolve(JSON.parse(stdout)),
              ),
            ),
        );
        const cpu = process.cpuUsage(cpuBefore);
        const blocksMined = (await fx.provider.getBlockNumber()) - blockBefore;
        const sorted = [...load.latenciesMs].sort((a, b) => a - b);
        return {
          actionsPerSecond: load.latenciesMs.length / load.seconds,
          p50Ms: percentile(sorted, 50),
          p99Ms: percentile(sorted, 99),
          failures: load.failures,
          blocksMined,
          transactionsPerBlock: load.latenciesMs.length / Math.max(1, blocksMined),
          // all threads of this process (chain, services, signature workers) per action: what a
          // shared machine's load cannot inflate much, unlike actions/s
          cpuMsPerAction: (cpu.user + cpu.system) / 1000 / Math.max(1, load.latenciesMs.length),
          transactionHashes: load.transactionHashes,
          selfTimeShare,
        };
      } finally {
        await relay.stop();
      }
    };
    const inProcessRuns: Awaited<ReturnType<typeof relayRun>>[] = [];
    const chainInThreadRuns: Awaited<ReturnType<typeof relayRun>>[] = [];
    const overHttpRuns: Awaited<ReturnType<typeof relayRun>>[] = [];
    for (let run = 0; run < RELAY_RUNS; run++) {
      inProcessRuns.push(await relayRun(onMain, true, run));
      chainInThreadRuns.push(await relayRun(inThread, true, run));
      overHttpRuns.push(await relayRun(onMain, false, run));
    }
    // Every relayed action indexed exactly once, on each network
    const indexedInThread = await inThread.indexing(chainInThreadRuns.flatMap((r) => r.transactionHashes));
    const indexedOnMain = await onMain.indexing([...inProcessRuns, ...overHttpRuns].flatMap((r) => r.transactionHashes));
    const indexing = Object.fromEntries(
      (["relayed", "indexedOnce", "missing", "duplicated"] as const).map((k) => [k, indexedInThread[k] + indexedOnMain[k]]),
    ) as Record<"relayed" | "indexedOnce" | "missing" | "duplicated", number>;
    const byStatus: Record<string, number> = { ...indexedInThread.byStatus };
    for (const [k, v] of Object.entries(indexedOnMain.byStatus)) byStatus[k] = (byStatus[k] ?? 0) + v;
    const summary = (runs: Awaited<ReturnType<typeof relayRun>>[]) => ({
      actionsPerSecond: spread(runs.map((r) => r.actionsPerSecond), 1),
      p50Ms: spread(runs.map((r) => r.p50Ms), 1),
      p99Ms: spread(runs.map((r) => r.p99Ms), 1),
      transactionsPerBlock: spread(runs.map((r) => r.transactionsPerBlock), 1),
      cpuMsPerAction: spread(runs.map((r) => r.cpuMsPerAction), 2),
      failures: runs.reduce((n, r) => n + Object.values(r.failures).reduce((a, b) => a + b, 0), 0),
      failuresByStatus: runs.map((r) => r.failures),
    });
    const sortedDirect = [...directLatencies].sort((a, b) => a - b);
    const relayMedian = spread(inProcessRuns.map((r) => r.actionsPerSecond)).median;
    writeResult("identity-service", {
      actions: ACTIONS,
      machineLoadAverageAtStart: round(loadAtStart, 1),
      relay: {
        signers: SIGNERS,
        inFlight: IN_FLIGHT,
        relayers: DEVNET_ROLES.relayers.length,
        runs: RELAY_RUNS,
        loadGenerator: "separate process (bench/relayLoad.ts)",
        ...summary(inProcessRuns),
        indexing: { ...indexing, byStatus },
      },
      chainInOwnThread: {
        measured: "the same load and relay (in process) on a second network whose data chain runs in a worker thread of its own (devnet/chainThread.ts), beside the services' thread; alternating with the runs above",
        ...summary(chainInThreadRuns),
      },
      chainInOwnThreadVsRelay: pairedRatio(chainInThreadRuns.map((r) => r.actionsPerSecond), inProcessRuns.map((r) => r.actionsPerSecond)),
      baselineRelayOverHttp: {
        measured: "the same load on an identity service that calls the data chain over HTTP JSON-RPC (as `asix node run identity-service`), on the first network, alternating with the runs above",
        ...summary(overHttpRuns),
      },
      relayVsOverHttp: pairedRatio(inProcessRuns.map((r) => r.actionsPerSecond), overHttpRuns.map((r) => r.actionsPerSecond)),
      ceilings: {
        chainBatched: {
          measured: "the same kind of pre-signed actions sent by 8 wallets at once (each waits for its own send), batched mining",
          actionsPerSecond: round(ACTIONS / batchedCeilingSeconds, 1),
          transactionsPerBlock: round(ACTIONS / Math.max(1, batchedCeilingBlocks), 1),
        },
        relayerPool: {
          measured: "pipelined: each relayer holds its lock from signing until its send is handed to the node, so its transactions share blocks",
          relayers: DEVNET_ROLES.relayers.length,
        },
        signatureRecovery: { msPerAction: round(recoverMs, 3), actionsPerSecondOfOneCore: round(1000 / recoverMs, 0) },
        mainThreadDuringRelay: {
          measured: "self time of this process's main thread (chain, identity service, discovery node) while the last in-process relay run's load ran, % by where the code lives",
          percent: inProcessRuns[inProcessRuns.length - 1].selfTimeShare,
        },
        mainThreadWithChainInOwnThread: {
          measured: "the same, in the last run with the chain in its own thread",
          percent: chainInThreadRuns[chainInThreadRuns.length - 1].selfTimeShare,
        },
      },
      baselineOneWalletDirect: {
        actionsPerSecond: round(ACTIONS / directSeconds, 1),
        p50Ms: round(percentile(sortedDirect, 50), 1),
        p99Ms: round(percentile(sortedDirect, 99), 1),
      },
      oneTransactionPerBlock: { actionsPerSecond: round(ACTIONS / ceilingSeconds, 1) },
      relayVsDirectThroughput: round(relayMedian / (ACTIONS / directSeconds), 2),
      relayVsOneTransactionPerBlock: round(relayMedian / (ACTIONS / ceilingSeconds), 2),
    });
  } finally {
    await inThread?.stop();
    await onMain.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 0; // benchmarks report; they never fail
});
