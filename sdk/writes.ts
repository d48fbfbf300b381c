import { AsixError } from "./errors";
import { encodeManageEntityCall, randomNonce, signManageEntity } from "./typedData";
import { requestJson, type CallOptions } from "./http";
import { requireWallet, type AsixClient } from "./client";
import { withBudget } from "./callBudget";
import { withDiscoveryNode } from "./selection";

/** Where a confirmed write landed. */
export interface WriteReceipt {
  /** the data-chain block that holds the write */
  blockHash: string;
  /** that block's number */
  blockNumber: number;
  /** the relayed transaction's hash */
  transactionHash: string;
}

/** One EntityManager action, before it is signed; `signal` and `timeoutMs` bound the whole write, relay and wait for indexing. */
export interface ManageEntityParameters extends CallOptions {
  /** The acting user (integer id). */
  userId: number;
  /** what kind of entity the action is on */
  entityType: "User" | "Track" | "Playlist";
  /** the entity's integer id */
  entityId: number;
  /** Create, Update, Delete, Follow, Save, Repost, ... */
  action: string;
  /** Metadata object (serialized as `{"cid":"","data":{…}}`), or "" for social actions. */
  data?: Record<string, unknown>;
  /** A raw metadata string, for actions whose metadata is not `{cid,data}`. */
  rawMetadata?: string;
}

/**
 * How long a signed write stays valid (seconds): long enough for the relay and a slow chain, short
 * enough that a signed action that was never sent cannot roll an entity back later.
 */
export const WRITE_VALIDITY_SECONDS = 3_600;

/**
 * The write path every SDK write takes: sign the action with the user's wallet (EIP-712), relay it
 * through the discovery node (the identity service pays the gas), then wait until the discovery
 * node has indexed the block, so that a read right after sees the change.
 */
export function manageEntity(client: AsixClient, params: ManageEntityParameters): Promise<WriteReceipt> {
  return withBudget(params, `${params.entityType} ${params.action}`, async (budget) => {
    const wallet = requireWallet(client, `${params.entityType} ${params.action}`);
    const metadata = params.rawMetadata ?? (params.data ? JSON.stringify({ cid: "", data: params.data }) : "");
    const message = {
      userId: BigInt(params.userId),
      entityType: params.entityType,
      entityId: BigInt(params.entityId),
      action: params.action,
      metadata,
      nonce: randomNonce(),
      deadline: BigInt(Math.floor(Date.now() / 1000) + WRITE_VALIDITY_SECONDS),
    };
    const domain = { chainId: client.network.dataChain.chainId, verifyingContract: client.network.dataChain.entityManagerAddress };
    const signature = await signManageEntity(wallet, domain, message);
    budget.check();
    // Sent once, unless the node refused or dropped the connection before answering: then the same
    // signed action (same nonce) goes to another node, and the relay refuses it as a replay if the first landed.
    const senderAddress = await wallet.getAddress();
    const relay = budget.next();
    const { receipt } = await withDiscoveryNode(
      client.selection,
      (node, left) =>
        requestJson<{ receipt: WriteReceipt }>(
          client,
          {
            signal: relay.signal,
            timeoutMs: left.timeoutMs ?? relay.timeoutMs,
            method: "POST",
            url: `${node}/relay`,
            json: {
              contractRegistryKey: "EntityManager",
              contractAddress: domain.verifyingContract,
              encodedABI: encodeManageEntityCall(message, signature),
              senderAddress,
              gasLimit: 3_000_000,
            },
          },
          `relay ${params.entityType} ${params.action}`,
        ),
      { idempotent: false, ...relay },
    );
    const landed = { blockHash: receipt.blockHash, blockNumber: Number(receipt.blockNumber), transactionHash: receipt.transactionHash };
    await waitForIndexed(client, landed, budget.next());
    return landed;
  });
}

/**
 * Poll the discovery node's /block_confirmation until it has indexed the block: TIMEOUT after the
 * client's indexTimeoutMs or the caller's `timeoutMs`, whichever comes first; ABORTED on `signal`.
 */
export function waitForIndexed(client: AsixClient, receipt: WriteReceipt, options: CallOptions = {}): Promise<void> {
  return withBudget(options, `wait for block ${receipt.blockNumber}`, async (budget) => {
    const deadline = Date.now() + client.indexTimeoutMs;
    for (;;) {
      const poll = budget.next();
      const { data } = await withDiscoveryNode(
        client.selection,
        (node, left) =>
          requestJson<{ data: { block_found: boolean; block_passed: boolean } }>(
            client,
            {
              url: `${node}/block_confirmation`,
              query: { blocknumber: receipt.blockNumber, blockhash: receipt.blockHash },
              signal: poll.signal,
              timeoutMs: left.timeoutMs ?? poll.timeoutMs,
            },
            "block confirmation",
          ),
        { idempotent: true, ...poll },
      );
      if (data.block_found && data.block_passed) return;
      if (data.block_passed && !data.block_found) {
        throw new AsixError("CHAIN_REVERTED", `block ${receipt.blockNumber} was replaced (reorg); the write was not kept`, {
          details: { ...receipt },
        });
      }
      if (Date.now() > deadline) {
        throw new AsixError("TIMEOUT", `the discovery node did not index block ${receipt.blockNumber} within ${client.indexTimeoutMs} ms`, {
          details: { ...receipt },
        });
      }
      await budget.sleep(client.pollIntervalMs);
    }
  });
}
