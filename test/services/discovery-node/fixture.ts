import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NonceManager, Wallet } from "ethers";
import { devnetPrivateKey, DEVNET_ROLES } from "../../../devnet/accounts";
import { startDiscoveryNode, type DiscoveryNodeConfig, type RunningDiscoveryNode } from "../../../devnet/services/discovery-node";
import { encodeManageEntityCall, randomNonce, signManageEntity } from "../../../sdk/eip712";
import { decodeHashId, encodeHashId } from "../../../sdk/hashids";
import { openDb, type DiscoveryStore } from "../../../devnet/services/discovery-node/db";
import { startDataChain, type DataChainFixture } from "../../helpers/dataChain";
import { discoveryBackend, discoveryDatabaseUrl } from "../../helpers/postgres";

/** The backend these tests run on (ASIX_TEST_DISCOVERY_BACKEND=postgres, or SQLite), for test titles. */
export const BACKEND = discoveryBackend();

/** A new, empty index on the backend under test: SQLite in `dir`, or a fresh PostgreSQL database. */
export async function openTestDb(dir: string): Promise<DiscoveryStore> {
  return openDb(dir, await discoveryDatabaseUrl());
}

/** A real data chain, a discovery node indexing it, and helpers that sign, send and wait. */
export interface DiscoveryFixture {
  fx: DataChainFixture;
  node: RunningDiscoveryNode;
  url: string;
  dir: string;
  /** the node's delegate wallet */
  delegate: Wallet;
  /** sign and send one action as `signer`, then wait until the node has indexed its block */
  act(signer: Wallet, message: { userId: number | bigint; entityType: string; entityId: number | bigint; action: string; metadata?: string }): Promise<{ blockNumber: number; blockHash: string; transactionHash: string }>;
  /** sign and submit one action without waiting for its receipt (automine still mines it at once); resolves to the tx hash */
  submit(signer: Wallet, message: { userId: number | bigint; entityType: string; entityId: number | bigint; action: string; metadata?: string }): Promise<string>;
  /** wait until the node has indexed the chain's latest block */
  waitHead(timeoutMs?: number): Promise<void>;
  /** GET JSON from the node */
  get(pathAndQuery: string): Promise<{ status: number; body: any }>;
  /** the outcome the node recorded for a transaction's (first) action */
  outcome(txhash: string): Promise<{ status: string; reason: string; code: string }>;
  /** a fresh wallet on the data chain (it never sends; the fixture's relayer pays) */
  newWallet(): Wallet;
  /** create a user owned by `wallet` and return its integer id */
  createUser(wallet: Wallet, handle: string, extra?: Record<string, unknown>): Promise<number>;
  nextId(kind: "user" | "track" | "playlist"): number;
  close(): Promise<void>;
}

export const hid = (n: number) => encodeHashId(n);
export const unhid = (s: string) => decodeHashId(s)!;
export const meta = (data: Record<string, unknown>) => JSON.stringify({ cid: "", data });

export async function startDiscoveryFixture(overrides: Partial<DiscoveryNodeConfig> = {}): Promise<DiscoveryFixture> {
  const fx = await startDataChain();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-discovery-"));
  const delegate = new Wallet(devnetPrivateKey(DEVNET_ROLES.discoveryNode));
  const node = await startDiscoveryNode({
    dir,
    databaseUrl: await discoveryDatabaseUrl(),
    privateKey: delegate.privateKey,
    dataChain: { rpcUrl: fx.chain.url, chainId: 1056801, entityManagerAddress: fx.entityManagerAddress, startBlock: fx.deployBlock },
    identityUrl: "http://127.0.0.1:9",
    contentNodes: () => [],
    pollIntervalMs: 20,
    ...overrides,
  });
  // a second relayer for fire-and-forget sends, so its nonces never race the fixture's own sender
  const fastSender = new NonceManager(fx.wallet(DEVNET_ROLES.relayers[1]));
  const domain = { chainId: 1056801, verifyingContract: fx.entityManagerAddress };
  const counters = { user: 3_000_000, track: 2_000_000, playlist: 400_000 };
  const f: DiscoveryFixture = {
    fx,
    node,
    url: node.url,
    dir,
    delegate,
    async act(signer, message) {
      const receipt = await fx.manageEntity(signer, { metadata: "", ...message });
      await waitIndexed(node.url, receipt.blockNumber, receipt.blockHash);
      return receipt;
    },
    async submit(signer, message) {
      const full = { metadata: "", ...message, nonce: randomNonce() };
      const signature = await signManageEntity(signer, domain, full);
      const tx = await fastSender.sendTransaction({ to: fx.entityManagerAddress, data: encodeManageEntityCall(full, signature), gasLimit: 30_000_000, maxFeePerGas: 10n ** 11n, maxPriorityFeePerGas: 1n });
      return tx.hash;
    },
    async waitHead(timeoutMs = 30_000) {
      const head = await fx.provider.getBlock("latest");
      await waitIndexed(node.url, head!.number, head!.hash!, timeoutMs);
    },
    async get(p) {
      const res = await fetch(node.url + p);
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      return { status: res.status, body };
    },
    async outcome(txhash) {
      const { status, body } = await f.get(`/v1/full/transactions/${txhash}`);
      if (status !== 200) throw new Error(`no outcome for ${txhash}: ${status} ${JSON.stringify(body)}`);
      return { status: body.data[0].status, reason: body.data[0].reason, code: body.data[0].code };
    },
    newWallet: () => Wallet.createRandom() as unknown as Wallet,
    async createUser(wallet, handle, extra = {}) {
      const id = f.nextId("user");
      const r = await f.act(wallet, { userId: id, entityType: "User", entityId: id, action: "Create", metadata: meta({ handle, name: handle, wallet: wallet.address, ...extra }) });
      const o = await f.outcome(r.transactionHash);
      if (o.status !== "applied") throw new Error(`user create failed: ${o.reason}`);
      return id;
    },
    nextId: (kind) => ++counters[kind],
    async close() {
      await node.stop();
      await fx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return f;
}

/** Poll /block_confirmation until the block is indexed. */
export async function waitIndexed(url: string, blockNumber: number, blockHash: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${url}/block_confirmation?blocknumber=${blockNumber}&blockhash=${blockHash}`);
    const body = (await res.json()) as { data: { block_found: boolean; block_passed: boolean } };
    if (body.data.block_found && body.data.block_passed) return;
    if (Date.now() > deadline) throw new Error(`block ${blockNumber} not indexed within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
