/**
 * Issue 6's relay figures: sustained POST /relay throughput (actions/s) and p50/p99 latency from
 * request to confirmed receipt, 50 signers with 50 requests in flight; against a baseline measured
 * in the same run on the same chain: the same kind of actions sent directly by one funded wallet
 * (sign, send, wait for the receipt, one after another). A third figure is the chain at one
 * transaction per block: the same number of pre-signed transactions submitted back to back, each
 * mined before the next is sent. The devnet's data chain batches concurrent transactions into one
 * block (devnet/chain.ts, mining "batched"), which is how a relay with many requests in flight
 * gets past that figure; blocksMined shows how many blocks the relay's actions took.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { Wallet } from "ethers";
import { startDataChain, DATA_CHAIN_ID } from "../test/helpers/dataChain";
import { devnetPrivateKey, DEVNET_ROLES } from "../devnet/accounts";
import { startIdentityService } from "../devnet/services/identity-service";
import { startDiscoveryNode } from "../devnet/services/discovery-node";
import { encodeManageEntityCall, randomNonce, signManageEntity } from "../sdk/eip712";
import { encodeHashId } from "../sdk/hashids";
import { percentile, round, writeResult } from "./util";

const ACTIONS = Number(process.env.BENCH_RELAY_ACTIONS ?? 1000);
const SIGNERS = 50;
const IN_FLIGHT = 50;

async function main() {
  const fx = await startDataChain();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-bench-identity-"));
  // The relay pays only for actions of a user's owner, which it asks the discovery node about.
  let discoveryUrl = "";
  const service = await startIdentityService({
    dir: path.join(dir, "identity"),
    dataChain: { rpcUrl: fx.chain.url, chainId: DATA_CHAIN_ID, entityManagerAddress: fx.entityManagerAddress },
    relayerPrivateKeys: DEVNET_ROLES.relayers.map((i) => devnetPrivateKey(i)),
    discoveryNodes: () => [discoveryUrl],
    rateLimits: { default: 100_000 },
    ipRateLimits: { default: 1_000_000 },
  });
  const discovery = await startDiscoveryNode({
    dir: path.join(dir, "discovery"),
    privateKey: devnetPrivateKey(DEVNET_ROLES.discoveryNode),
    dataChain: { rpcUrl: fx.chain.url, chainId: DATA_CHAIN_ID, entityManagerAddress: fx.entityManagerAddress, startBlock: fx.deployBlock },
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
    // each signer's user, created through the relay and indexed before anything is measured
    await Promise.all(
      signers.map(async (signer, s) => {
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

    // ---- the relay: 50 signers, 50 requests in flight ------------------------------------------
    const bodies = await Promise.all(
      Array.from({ length: ACTIONS }, async (_, i) => {
        const signer = signers[i % SIGNERS];
        return { contractRegistryKey: "EntityManager", contractAddress: fx.entityManagerAddress, encodedABI: await sign(signer, i), senderAddress: signer.address, gasLimit: 0 };
      }),
    );
    // The load generator runs in its own process, as autocannon does in the other benches.
    const jobFile = path.join(dir, "relay-load.json");
    fs.writeFileSync(jobFile, JSON.stringify({ url: `${service.url}/relay`, inFlight: IN_FLIGHT, bodies }));
    const blockBefore = await fx.provider.getBlockNumber();
    const load = await new Promise<{ seconds: number; latenciesMs: number[]; failures: Record<string, number> }>((resolve, reject) =>
      execFile(process.execPath, ["--import", "tsx", path.join(__dirname, "relayLoad.ts"), jobFile], { maxBuffer: 64 << 20 }, (err, stdout) =>
        err ? reject(err) : resolve(JSON.parse(stdout)),
      ),
    );
    const blocksMined = (await fx.provider.getBlockNumber()) - blockBefore;
    const relaySeconds = load.seconds;
    const relayLatencies = load.latenciesMs;
    const failures = Object.values(load.failures).reduce((a, b) => a + b, 0);

    const sortedDirect = [...directLatencies].sort((a, b) => a - b);
    const sortedRelay = [...relayLatencies].sort((a, b) => a - b);
    writeResult("identity-service", {
      actions: ACTIONS,
      relay: {
        signers: SIGNERS,
        inFlight: IN_FLIGHT,
        relayers: DEVNET_ROLES.relayers.length,
        actionsPerSecond: round(relayLatencies.length / relaySeconds, 1),
        p50Ms: round(percentile(sortedRelay, 50), 1),
        p99Ms: round(percentile(sortedRelay, 99), 1),
        failures,
        failuresByStatus: load.failures,
        blocksMined,
        transactionsPerBlock: round(relayLatencies.length / Math.max(1, blocksMined), 1),
        loadGenerator: "separate process (bench/relayLoad.ts)",
      },
      baselineOneWalletDirect: {
        actionsPerSecond: round(ACTIONS / directSeconds, 1),
        p50Ms: round(percentile(sortedDirect, 50), 1),
        p99Ms: round(percentile(sortedDirect, 99), 1),
      },
      oneTransactionPerBlock: { actionsPerSecond: round(ACTIONS / ceilingSeconds, 1) },
      relayVsDirectThroughput: round(relayLatencies.length / relaySeconds / (ACTIONS / directSeconds), 2),
      relayVsOneTransactionPerBlock: round(relayLatencies.length / relaySeconds / (ACTIONS / ceilingSeconds), 2),
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
