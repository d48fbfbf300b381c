import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import axios, { type AxiosResponse } from "axios";
import { Wallet, type HDNodeWallet } from "ethers";
import { startDataChain, DATA_CHAIN_ID, type DataChainFixture } from "../../helpers/dataChain";
import { devnetPrivateKey, DEVNET_ROLES } from "../../../devnet/accounts";
import { encodeManageEntityCall, entityManagerInterface, randomNonce, signManageEntity, type ManageEntityMessage } from "../../../sdk/eip712";
import { startIdentityService, type IdentityServiceConfig, type RunningIdentityService } from "../../../devnet/services/identity-service";
import { startDiscoveryNode, type RunningDiscoveryNode } from "../../../devnet/services/discovery-node";
import { encodeHashId } from "../../../sdk/hashids";

export { DATA_CHAIN_ID };

export interface IdentityFixture {
  fx: DataChainFixture;
  service: RunningIdentityService;
  /** the discovery node the service asks who owns a user (it indexes the same chain) */
  discovery: RunningDiscoveryNode;
  dir: string;
  logs: { msg: string; fields?: Record<string, unknown> }[];
  relayerAddresses: string[];
  close(): Promise<void>;
}

export const RELAYER_KEYS = DEVNET_ROLES.relayers.map((i) => devnetPrivateKey(i));

/**
 * A real data chain, a real identity service on port 0 with its state in a temp dir, and a real
 * discovery node indexing that chain, which the service asks who owns a user.
 */
export async function startIdentityFixture(overrides: Partial<IdentityServiceConfig> = {}, fx?: DataChainFixture): Promise<IdentityFixture> {
  const chain = fx ?? (await startDataChain());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-identity-"));
  const logs: IdentityFixture["logs"] = [];
  let discoveryUrl: string | undefined;
  const service = await startIdentityService({
    dir: path.join(dir, "identity"),
    dataChain: { rpcUrl: chain.chain.url, chainId: DATA_CHAIN_ID, entityManagerAddress: chain.entityManagerAddress },
    relayerPrivateKeys: RELAYER_KEYS,
    discoveryNodes: () => (discoveryUrl ? [discoveryUrl] : []),
    log: (msg, fields) => logs.push({ msg, fields }),
    ...overrides,
  });
  const discovery = await startDiscoveryNode({
    dir: path.join(dir, "discovery"),
    privateKey: devnetPrivateKey(DEVNET_ROLES.discoveryNode),
    dataChain: { rpcUrl: chain.chain.url, chainId: DATA_CHAIN_ID, entityManagerAddress: chain.entityManagerAddress, startBlock: chain.deployBlock },
    identityUrl: service.url,
    contentNodes: () => [],
    pollIntervalMs: 50,
  });
  discoveryUrl = discovery.url;
  return {
    fx: chain,
    service,
    discovery,
    dir: path.join(dir, "identity"),
    logs,
    relayerAddresses: (overrides.relayerPrivateKeys ?? RELAYER_KEYS).map((k) => new Wallet(k).address),
    async close() {
      await discovery.stop();
      await service.stop();
      if (!fx) await chain.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The POST /relay body for `message` signed by `signer`. */
export async function relayBody(
  fx: DataChainFixture,
  signer: Wallet | HDNodeWallet,
  partial: Omit<ManageEntityMessage, "nonce"> & { nonce?: string },
) {
  const message = { ...partial, nonce: partial.nonce ?? randomNonce() };
  const signature = await signManageEntity(signer, { chainId: DATA_CHAIN_ID, verifyingContract: fx.entityManagerAddress }, message);
  return {
    contractRegistryKey: "EntityManager",
    contractAddress: fx.entityManagerAddress,
    encodedABI: encodeManageEntityCall(message, signature),
    senderAddress: signer.address,
    gasLimit: 0,
  };
}

// A fresh connection per request: a pooled keep-alive socket that the server closes while idle
// (5 s) can be picked for the next request just then, which reads as "socket hang up" under load.
const agent = new http.Agent({ keepAlive: false });

export function post(url: string, body: unknown): Promise<AxiosResponse> {
  return axios.post(url, body, { validateStatus: () => true, timeout: 120_000, httpAgent: agent });
}

/** Every ManageEntity event EntityManager emitted since `fromBlock`. */
export async function manageEntityEvents(fx: DataChainFixture, fromBlock: number) {
  const topic = entityManagerInterface.getEvent("ManageEntity")!.topicHash;
  const logs = await fx.provider.getLogs({ address: fx.entityManagerAddress, topics: [topic], fromBlock, toBlock: "latest" });
  return logs.map((l) => {
    const ev = entityManagerInterface.parseLog(l)!;
    return {
      userId: ev.args._userId as bigint,
      signer: ev.args._signer as string,
      entityType: ev.args._entityType as string,
      entityId: ev.args._entityId as bigint,
      action: ev.args._action as string,
      transactionHash: l.transactionHash,
    };
  });
}

/** Nonces of the given addresses, to prove that nothing was sent. */
export async function nonces(fx: DataChainFixture, addresses: string[]): Promise<number[]> {
  return Promise.all(addresses.map((a) => fx.provider.getTransactionCount(a, "pending")));
}

/** Wait until the discovery node has indexed block `blockNumber`, where user `userId` was created (as the SDK waits after each write). */
export async function waitForUser(f: IdentityFixture, userId: number, blockNumber: number): Promise<void> {
  const user = () => axios.get(`${f.discovery.url}/v1/users/${encodeHashId(userId)}`, { validateStatus: () => true });
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const health = await axios.get(`${f.discovery.url}/health_check`, { validateStatus: () => true });
    if (health.data?.data?.latest_indexed_block >= blockNumber) {
      if ((await user()).status === 200) return;
      throw new Error(`user ${userId} was not created (the indexer rejected its Create)`);
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

let handles = 0;

/** A user created through the service's relay by `wallet` (a fresh one by default), once indexed. */
export async function createUser(
  f: IdentityFixture,
  wallet: Wallet | HDNodeWallet = Wallet.createRandom(),
  userId = 3_100_000 + Math.floor(Math.random() * 1_000_000_000),
): Promise<{ wallet: Wallet | HDNodeWallet; userId: number }> {
  const handle = `u${process.pid}_${++handles}_${userId}`.slice(0, 30);
  const metadata = JSON.stringify({ cid: "", data: { handle, name: handle, wallet: wallet.address } });
  const res = await post(`${f.service.url}/relay`, await relayBody(f.fx, wallet, { userId, entityType: "User", entityId: userId, action: "Create", metadata }));
  if (res.status !== 200) throw new Error(`user Create refused: ${res.status} ${JSON.stringify(res.data)}`);
  await waitForUser(f, userId, res.data.receipt.blockNumber);
  return { wallet, userId };
}
