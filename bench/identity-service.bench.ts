/**
 * Issue 6's relay figures: sustained POST /relay throughput (actions/s) and p50/p99 latency from
 * request to confirmed receipt, 50 signers with 50 requests in flight; against a baseline measured
 * in the same run on the same chain: the same kind of actions sent directly by one funded wallet
 * (sign, send, wait for the receipt, one after another). A third figure is the chain's own ceiling
 * on this machine: the same number of pre-signed transactions submitted back to back (automine
 * mines one block per transaction, so no relay can beat it).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import axios from "axios";
import http from "node:http";
import { Wallet } from "ethers";
import { startDataChain, DATA_CHAIN_ID } from "../test/helpers/dataChain";
import { devnetPrivateKey, DEVNET_ROLES } from "../devnet/accounts";
import { startIdentityService } from "../devnet/services/identity-service";
import { encodeManageEntityCall, randomNonce, signManageEntity } from "../sdk/eip712";
import { percentile, round, writeResult } from "./util";

const ACTIONS = Number(process.env.BENCH_RELAY_ACTIONS ?? 1000);
const SIGNERS = 50;
const IN_FLIGHT = 50;

async function main() {
  const fx = await startDataChain();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-bench-identity-"));
  const service = await startIdentityService({
    dir,
    dataChain: { rpcUrl: fx.chain.url, chainId: DATA_CHAIN_ID, entityManagerAddress: fx.entityManagerAddress },
    relayerPrivateKeys: DEVNET_ROLES.relayers.map((i) => devnetPrivateKey(i)),
    rateLimits: { default: 100_000 },
  });
  const domain = { chainId: DATA_CHAIN_ID, verifyingContract: fx.entityManagerAddress };
  const signers = Array.from({ length: SIGNERS }, () => Wallet.createRandom());
  const sign = async (signer: Wallet | ReturnType<typeof Wallet.createRandom>, i: number) => {
    const message = { userId: 1000 + (i % SIGNERS), entityType: "User", entityId: 9000 + i, action: "Follow", metadata: "", nonce: randomNonce() };
    return encodeManageEntityCall(message, await signManageEntity(signer, domain, message));
  };

  try {
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
    const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    const relayLatencies: number[] = [];
    let failures = 0;
    let next = 0;
    started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++];
          const t = performance.now();
          const res = await axios.post(`${service.url}/relay`, body, { httpAgent: agent, validateStatus: () => true });
          if (res.status === 200) relayLatencies.push(performance.now() - t);
          else failures++;
        }
      }),
    );
    const relaySeconds = (performance.now() - started) / 1000;
    agent.destroy();

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
      },
      baselineOneWalletDirect: {
        actionsPerSecond: round(ACTIONS / directSeconds, 1),
        p50Ms: round(percentile(sortedDirect, 50), 1),
        p99Ms: round(percentile(sortedDirect, 99), 1),
      },
      chainCeiling: { actionsPerSecond: round(ACTIONS / ceilingSeconds, 1) },
      relayVsDirectThroughput: round(relayLatencies.length / relaySeconds / (ACTIONS / directSeconds), 2),
      relayShareOfChainCeiling: round(relayLatencies.length / relaySeconds / (ACTIONS / ceilingSeconds), 2),
    });
  } finally {
    await service.stop();
    await fx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 0; // benchmarks report; they never fail
});
