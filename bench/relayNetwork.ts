/**
 * One data chain with a discovery node and the bench's 50 users, for the relay bench
 * (identity-service.bench.ts): the chain either on this thread or in the chains' worker thread, as
 * the devnet runs it (devnet/chainThread.ts). Identity services are started per run against it.
 */
import fs from "node:fs";
import path from "node:path";
import { Wallet } from "ethers";
import Database from "better-sqlite3";
import { startDataChain, DATA_CHAIN_ID, type DataChainFixture } from "../test/helpers/dataChain";
import { devnetPrivateKey, DEVNET_ROLES } from "../devnet/accounts";
import { startIdentityService, type RunningIdentityService } from "../devnet/services/identity-service";
import { startDiscoveryNode } from "../devnet/services/discovery-node";
import { encodeManageEntityCall, randomNonce, signManageEntity } from "../sdk/eip712";
import { encodeHashId } from "../sdk/hashids";


/** the audio CID every bench track names (the relay and the index check its form, not its bytes) */
const BENCH_TRACK_CID = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";
export interface RelayNetwork {
  fx: DataChainFixture;
  dir: string;
  /** a new track `i` of user `i % signers` as `signer`, encoded for POST /relay (applied in the index when `signer` owns that user) */
  sign(signer: Wallet | ReturnType<typeof Wallet.createRandom>, i: number): Promise<string>;
  /** a fresh identity service: calling the chain in process (as inside the devnet) or over HTTP */
  identityService(inProcess: boolean): Promise<RunningIdentityService>;
  /** how many of these transactions the discovery node indexed once, not at all, or more than once */
  indexing(transactionHashes: string[]): Promise<{ relayed: number; indexedOnce: number; missing: number; duplicated: number; byStatus: Record<string, number> }>;
  stop(): Promise<void>;
}

export async function startRelayNetwork(opts: { inWorker: boolean; dir: string; signers: (Wallet | ReturnType<typeof Wallet.createRandom>)[] }): Promise<RelayNetwork> {
  const { dir, signers } = opts;
  fs.mkdirSync(dir, { recursive: true });
  const fx = await startDataChain({ inWorker: opts.inWorker });
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
  const stop = async () => {
    await discovery.stop();
    await service.stop();
    await fx.close();
  };
  const domain = { chainId: DATA_CHAIN_ID, verifyingContract: fx.entityManagerAddress };
  const userIds = signers.map((_, s) => 3_000_000 + s);
  const sign = async (signer: Wallet | ReturnType<typeof Wallet.createRandom>, i: number) => {
    // a new track per action, as an artist's upload ends: each applies in the index (a Follow of a
    // user that does not exist, as until 2026-12-01, was rejected there, which cost the indexer less)
    const userId = userIds[i % signers.length];
    const metadata = JSON.stringify({ cid: "", data: { owner_id: userId, title: `Bench track ${i}`, genre: "Electronic", track_cid: BENCH_TRACK_CID } });
    const message = { userId, entityType: "Track", entityId: 2_000_000 + i, action: "Create", metadata, nonce: randomNonce() };
    return encodeManageEntityCall(message, await signManageEntity(signer, domain, message));
  };
  try {
    // each signer's user, created through the relay and indexed before anything is measured; ten at
    // a time, since each Create costs the relay two lookups on the discovery node, and 100 at once
    // could outlast the lookups' 5 s timeout on a loaded machine (a 503, seen twice at load 15-19)
    for (let first = 0; first < signers.length; first += 10) {
      await Promise.all(
        signers.slice(first, first + 10).map(async (signer, k) => {
          const s = first + k;
          const message = { userId: userIds[s], entityType: "User", entityId: userIds[s], action: "Create", metadata: JSON.stringify({ cid: "", data: { handle: `bench_${s}`, wallet: signer.address } }), nonce: randomNonce() };
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
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    fx,
    dir,
    sign,
    identityService,
    async indexing(transactionHashes) {
      // once the discovery node has the head
      const head = await fx.provider.getBlockNumber();
      const index = new Database(path.join(dir, "discovery", "discovery.sqlite"), { readonly: true });
      try {
        const indexedUpTo = () => (index.prepare("SELECT last_block FROM indexing_checkpoint").pluck().get() as number | undefined) ?? 0;
        while (indexedUpTo() < head) await new Promise((r) => setTimeout(r, 20));
        const rowsOf = index.prepare("SELECT status FROM actions WHERE txhash = ? OR txhash = ?").pluck();
        // one outcome per relayed action; byStatus shows they applied
        const counts = { relayed: 0, indexedOnce: 0, missing: 0, duplicated: 0, byStatus: {} as Record<string, number> };
        for (const hash of transactionHashes) {
          counts.relayed++;
          const statuses = rowsOf.all(hash, hash.toLowerCase()) as string[];
          if (statuses.length === 1) counts.indexedOnce++;
          if (statuses.length === 0) counts.missing++;
          if (statuses.length > 1) counts.duplicated++;
          for (const s of statuses) counts.byStatus[s] = (counts.byStatus[s] ?? 0) + 1;
        }
        return counts;
      } finally {
        index.close();
      }
    },
    stop,
  };
}
