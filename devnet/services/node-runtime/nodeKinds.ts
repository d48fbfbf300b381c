/** The services `asix node run` starts, each as its own process. */
export const NODE_KINDS = ["content-node", "discovery-node", "identity-service"] as const;
/** One of {@link NODE_KINDS}. */
export type NodeKind = (typeof NODE_KINDS)[number];
