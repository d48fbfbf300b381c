import type { Db } from "./db";
import { JsonRpc, type RpcLog } from "./rpc";
import { blockWaiter, pollPacer, type NewBlocks } from "./blockSignal";
import { ETH_CONTRACTS } from "../../../sdk/protocol/ethContracts";
import type { RegisteredNode } from "../../../sdk/protocol/nodes";
import { decodeBytes32String } from "ethers";
import type { Logger } from "../http";

/**
 * The eth-chain side of the discovery node: follows ServiceProviderFactory's events (register,
 * deregister, endpoint and delegate-wallet changes) into the index (service_providers), so `/health_check`'s network lists,
 * the stream redirect's choice of content node and the SDK's node lists all come from the chain.
 */

/** A registered node as indexed (sdk/protocol/nodes). */
export type ServiceProvider = RegisteredNode;

export interface EthIndexerConfig {
  db: Db;
  rpcUrl: string;
  serviceProviderFactoryAddress: string;
  /** the factory's deployment block */
  startBlock?: number;
  pollIntervalMs?: number;
  /** the chain's new-block notifications, when it runs in this process (the poll then slows to a fallback) */
  newBlocks?: NewBlocks;
  log?: Logger;
}

export interface EthIndexer {
  /** Registered nodes of a type, by spId. */
  list(type: "content-node" | "discovery-node"): ServiceProvider[];
  latestIndexedBlock(): number;
  stop(): Promise<void>;
}


const factory = ETH_CONTRACTS.serviceProviderFactory.factory.createInterface();
const EVENTS = ["RegisteredServiceProvider", "DeregisteredServiceProvider", "EndpointUpdated", "DelegateOwnerWalletUpdated"] as const;
const TOPICS = EVENTS.map((name) => factory.getEvent(name).topicHash);
const BATCH_BLOCKS = 5_000;

export async function startEthIndexer(config: EthIndexerConfig): Promise<EthIndexer> {
  const { db } = config;
  const log = config.log ?? (() => {});
  const rpc = new JsonRpc(config.rpcUrl, 10_000);
  const checkpoint = async () =>
    (await db.get<{ block_number: number }>("SELECT block_number FROM eth_checkpoint WHERE id = 1"))?.block_number ?? (config.startBlock ?? 0) - 1;
  // The lists are read on every request (some synchronously, for the response cache), so they
  // are kept in memory and reloaded after each change.
  let indexedBlock = await checkpoint();
  let lists = new Map<string, ServiceProvider[]>();
  async function reload(): Promise<void> {
    const rows = await db.all<ServiceProvider>(
      "SELECT service_type AS type, sp_id AS \"spId\", endpoint, owner, delegate_owner_wallet AS \"delegateOwnerWallet\", block_number AS \"blockNumber\" FROM service_providers ORDER BY sp_id",
    );
    const next = new Map<string, ServiceProvider[]>();
    for (const row of rows) next.set(row.type, [...(next.get(row.type) ?? []), row]);
    lists = next;
    indexedBlock = await checkpoint();
  }
  await reload();

  // Registration events do not carry the delegate wallet: read it from the factory at that block.
  async function delegateWalletAt(type: string, spId: bigint, blockTag: string): Promise<string> {
    const data = factory.encodeFunctionData("getServiceEndpointInfo", [type, spId]);
    const raw = await rpc.call<string>("eth_call", [{ to: config.serviceProviderFactoryAddress, data }, blockTag]);
    return String(factory.decodeFunctionResult("getServiceEndpointInfo", raw).delegateOwnerWallet);
  }

  async function apply(logs: RpcLog[], toBlock: number): Promise<void> {
    // Reads first (async), then every change and the checkpoint in one transaction.
    const wallets = new Map<string, string>();
    for (const entry of logs) {
      const event = factory.parseLog({ topics: entry.topics, data: entry.data });
      if (event?.name === "RegisteredServiceProvider") {
        wallets.set(entry.transactionHash + entry.logIndex, await delegateWalletAt(event.args.serviceType, event.args.spId, entry.blockNumber));
      }
    }
    await db.transaction(async (tx) => {
      for (const entry of logs) {
        const event = factory.parseLog({ topics: entry.topics, data: entry.data });
        if (!event) continue;
        const type = decodeBytes32String(event.args.serviceType);
        const spId = Number(event.args.spId);
        if (event.name === "RegisteredServiceProvider") {
          await tx.run(
            `INSERT INTO service_providers (service_type, sp_id, endpoint, owner, delegate_owner_wallet, block_number)
             VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (service_type, sp_id) DO UPDATE SET endpoint = excluded.endpoint, owner = excluded.owner,
               delegate_owner_wallet = excluded.delegate_owner_wallet, block_number = excluded.block_number`,
            [type, spId, event.args.endpoint, event.args.owner, wallets.get(entry.transactionHash + entry.logIndex), Number(entry.blockNumber)],
          );
        } else if (event.name === "DeregisteredServiceProvider") {
          await tx.run("DELETE FROM service_providers WHERE service_type = ? AND sp_id = ?", [type, spId]);
        } else if (event.name === "EndpointUpdated") {
          await tx.run("UPDATE service_providers SET endpoint = ? WHERE service_type = ? AND sp_id = ?", [event.args.newEndpoint, type, spId]);
        } else if (event.name === "DelegateOwnerWalletUpdated") {
          await tx.run("UPDATE service_providers SET delegate_owner_wallet = ? WHERE service_type = ? AND sp_id = ?", [event.args.updatedWallet, type, spId]);
        }
      }
      await tx.run("INSERT INTO eth_checkpoint (id, block_number) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET block_number = excluded.block_number", [toBlock]);
    });
    await reload();
  }

  let stopped = false;
  const blocks = blockWaiter(config.newBlocks);
  const nextWait = pollPacer(config.pollIntervalMs ?? 500, config.newBlocks !== undefined);
  let lastHead = -1;

  /** Index up to the chain's head; whether the head moved since the last look. */
  async function poll(): Promise<boolean> {
    const head = Number(await rpc.call<string>("eth_blockNumber", []));
    const moved = head !== lastHead;
    lastHead = head;
    for (let from = (await checkpoint()) + 1; from <= head && !stopped; from += BATCH_BLOCKS) {
      const to = Math.min(head, from + BATCH_BLOCKS - 1);
      const logs = await rpc.call<RpcLog[]>("eth_getLogs", [
        { address: config.serviceProviderFactoryAddress, topics: [TOPICS], fromBlock: `0x${from.toString(16)}`, toBlock: `0x${to.toString(16)}` },
      ]);
      await apply(logs, to);
    }
    return moved;
  }

  const running = (async () => {
    while (!stopped) {
      // a failed look is retried after one interval, as a moved head is
      const moved = await poll().catch((e) => (log("eth indexer poll failed", { error: String(e) }), true));
      if (!stopped) await blocks.wait(nextWait(moved));
    }
  })();

  return {
    list: (type) => lists.get(type) ?? [],
    latestIndexedBlock: () => indexedBlock,
    async stop() {
      stopped = true;
      blocks.close();
      await running;
    },
  };
}
