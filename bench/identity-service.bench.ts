/**
 * Issue 6's and 15's relay figures: sustained POST /relay throughput (actions/s) and p50/p99 latency
 * from request to confirmed receipt, 50 signers with 50 requests in flight, as the median (with
 * min and max) of RELAY_RUNS runs. The relay calls the data chain in process, as inside the devnet;
 * each run alternates with a baseline run of the same load on a relay that reaches the chain over
 * HTTP JSON-RPC (as before, and as `asix node run identity-service` does), each on a freshly
 * started identity service. Other baselines on the same chain:
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
import Database from "better-sqlite3";
import { startDataChain, DATA_CHAIN_ID } from "../test/helpers/dataChain";
import { devnetPrivateKey, DEVNET_ROLES } from "../devnet/accounts";
import { startIdentityService } from "../devnet/services/identity-service";
import { startDiscoveryNode } from "../devnet/services/discovery-node";
import { encodeManageEntityCall, manageEntityDigest, randomNonce, signManageEntity } from "../sdk/eip712";
import { encodeHashId } from "../sdk/hashids";
import { pairedRatio, percentile, round, spread, writeResult } from "./util";
import { profiled } from "./profile";

const ACTIONS = Number(process.env.BENCH_RELAY_ACTIONS ?? 600);
const RELAY_RUNS = 3;
const SIGNERS = 50;
const IN_FLIGHT = 50;

async function main() {
  const loadAtStart = os.loadavg()[0];
  const fx = await startDataChain();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-bench-identity-"));
  // The relay pays only for actions of a user's owner, which it asks the discovery node about.
  let discoveryUrl = "";
  let services = 0;
  const identityService = (inProcess: boolean) =>
    startIdentityService({
      dir: path.join(dir, `identity-${services++}`),
      dataChain: { rpcUrl: fx.chain.url, chainId: DATA_CHAIN_ID, entityManagerAddress: fx.entityManagerAddress, ...(inProcess ? { inProcess: fx.chain.provider } : {}) },
      relayerPrivateKeys: DEVNET_ROLES.relayers.map((i) => devnetPrivateKey(i)),
      discoveryNodes: () => [discoveryUrl],
      rateLimits: { default: 100_000 },
      ipRateLimits: { default: 1_000_000 },
    });
  const service = await identityService(true);
  const discovery = await startDiscoveryNode({
    dir: path.join(dir, "discovery"),
    privateKey: devnetPrivateKey(DEVNET_ROLES.discoveryNode),
    // woken by the chain's block announcements, as the devnet's discovery node is
    dataChain: { rpcUrl: fx.chain.url, chainId: DATA_CHAIN_ID, entityManagerAddress: fx.entityManagerAddress, startBlock: fx.deployBlock, newBlocks: fx.chain.onNewBlock },
    identityUrl: service.url,
    contentNodes: () => [],
    pollIntervalMs: 50,
  });
  discoveryUrl = discovery.url;
  const domain = { chainId: DATA_CHAIN_ID, verifyingContract: fx.entityManagerAddress };
  const signers = Array.from({ length: SIGNERS }, () => Wallet.createRandom());
  const userIds = signers.map((_, s) => 3_000_000 + s);
  const sign = async (signer: Wallet | ReturnType<typeof Wallet.createRandom>, i: number) => {
    const message = { userId: userIds[i % SIGNERS], entityType: "User", entityId: 9000 + i, action: "Follow", metadata: "", nonce: randomNonce() };
    return encodeManageEntityCall(message, await signManageEntity(signer, domain, message));
  };

  try {
    // each signer's user, created through the relay and indexed before anything is measured; ten at
    // a time, since each Create costs the relay two lookups on the discovery node, and 100 at once
    // could outlast the lookups' 5 s timeout on a loaded machine (a 503, seen twice at load 15-19)
    for (let first = 0; first < SIGNERS; first += 10) {
      await Promise.all(
        signers.slice(first, first + 10).map(async (signer, k) => {
          const s = first + k;
          const handle = `bench_${s}`;
          const message = { userId: userIds[s], entityType: "User", entityId: userIds[s], action: "Create", metadata: JSON.stringify({ cid: "", data: { handle, wallet: signer.address } }), nonce: randomNonce() };
          const encodedABI = encodeManageEntityCall(message, await signManageEntity(signer, domain, message));
          const res = await fetch(`${service.url}/relay`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ contractRegistryKey: "EntityManager", contractAddress: fx.entityManagerAddress, encodedABI, senderAddress: signer.address }),
          });
          if (!res.ok) throw new Error(`user Create refused: ${res.status} ${await res.text()}`);
        }),
      );
    }
    for (const id of userIds) {
      while ((await fetch(`${discovery.url}/v1/users/${encodeHashId(id)}`)).status !== 200) await new Promise((r) => setTimeout(r, 50));
    }

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
    const relayRun = async (inProcess: boolean, run: number) => {
      const bodies = await Promise.all(
        Array.from({ length: ACTIONS }, async (_, i) => {
          const signer = signers[i % SIGNERS];
          const n = (3 + 2 * run + (inProcess ? 0 : 1)) * ACTIONS + i;
          return { contractRegistryKey: "EntityManager", contractAddress: fx.entityManagerAddress, encodedABI: await sign(signer, n), senderAddress: signer.address, gasLimit: 0 };
        }),
      );
      const relay = await identityService(inProcess);
      try {
        // The load generator runs in its own process, as autocannon does in the other benches.
        const jobFile = path.join(dir, "relay-load.json");
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
    const overHttpRuns: Awaited<ReturnType<typeof relayRun>>[] = [];
    for (let run = 0; run < RELAY_RUNS; run++) {
      inProcessRuns.push(await relayRun(true, run));
      overHttpRuns.push(await relayRun(false, run));
    }
    // Every relayed action indexed exactly once: the discovery node's actions table, once it has the head.
    const head = await fx.provider.getBlockNumber();
    const index = new Database(path.join(dir, "discovery", "discovery.sqlite"), { readonly: true });
    const indexedUpTo = () => (index.prepare("SELECT last_block FROM indexing_checkpoint").pluck().get() as number | undefined) ?? 0;
    while (indexedUpTo() < head) await new Promise((r) => setTimeout(r, 20));
    const rowsOf = index.prepare("SELECT status FROM actions WHERE txhash = ? OR txhash = ?").pluck();
    // (the Follows name users that do not exist, so the index records them as rejected: what
    // matters here is one outcome per relayed action)
    const indexing = { relayed: 0, indexedOnce: 0, missing: 0, duplicated: 0, byStatus: {} as Record<string, number> };
    for (const hash of [...inProcessRuns, ...overHttpRuns].flatMap((r) => r.transactionHashes)) {
      indexing.relayed++;
      const statuses = rowsOf.all(hash, hash.toLowerCase()) as string[];
      if (statuses.length === 1) indexing.indexedOnce++;
      if (statuses.length === 0) indexing.missing++;
      if (statuses.length > 1) indexing.duplicated++;
      for (const s of statuses) indexing.byStatus[s] = (indexing.byStatus[s] ?? 0) + 1;
    }
    index.close();
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
        indexing,
      },
      baselineRelayOverHttp: {
        measured: "the same load on an identity service that calls the data chain over HTTP JSON-RPC (as `asix node run identity-service`), alternating with the runs above",
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
    await discovery.stop();
    await service.stop();
    await fx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 0; // benchmarks report; they never fail
});
