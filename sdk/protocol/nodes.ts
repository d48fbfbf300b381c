import type { NetworkContentNode, NetworkDiscoveryNode } from "./health";

/**
 * A node registered on the eth chain's ServiceProviderFactory (PROTOCOL.md §7): the one record for
 * the SDK's staking reads, the services' node lists and devnet.json. Only `/health_check`'s network
 * lists spell it otherwise (`spID`, `ownerWallet`), as the reference protocol does; the converters
 * below are the one place that happens.
 */

export type ServiceTypeName = "content-node" | "discovery-node";

/** A node registered in ServiceProviderFactory: its type, id, endpoint and wallets. */
export interface RegisteredNode {
  /** the node's service type */
  type: ServiceTypeName;
  /** the service provider id, per service type, from 1 */
  spId: number;
  /** the node's URL */
  endpoint: string;
  /** the operator that registered and staked it */
  owner: string;
  /** the wallet the node signs with */
  delegateOwnerWallet: string;
  /** block it was registered in */
  blockNumber: number;
}

/** What a caller needs to reach a node and check its signatures. */
export type NodeRef = Pick<RegisteredNode, "endpoint" | "delegateOwnerWallet">;
/** The same with the node's owner, as /health_check's network lists name it. */
export type OwnedNodeRef = NodeRef & Pick<RegisteredNode, "owner">;

/** `network.content_nodes[]` of a discovery node's /health_check. */
export function toNetworkContentNode(node: Pick<RegisteredNode, "spId" | "endpoint" | "owner" | "delegateOwnerWallet">): NetworkContentNode {
  return { endpoint: node.endpoint, delegateOwnerWallet: node.delegateOwnerWallet, owner: node.owner, spID: node.spId, type: "content-node" };
}

/** `network.discovery_nodes_with_owner[]` of a discovery node's /health_check. */
export function toNetworkDiscoveryNode(node: Pick<RegisteredNode, "endpoint" | "owner" | "delegateOwnerWallet">): NetworkDiscoveryNode {
  return { endpoint: node.endpoint, delegateOwnerWallet: node.delegateOwnerWallet, ownerWallet: node.owner };
}
