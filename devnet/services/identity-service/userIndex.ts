import { AsixError } from "../../../sdk/errors";
import { encodeHashId } from "../../../sdk/hashids";
import type { Logger } from "../http";

/**
 * Who owns which user, as the discovery node's index says (the protocol's authority on whether an
 * action is valid, PROTOCOL.md §3). The relay asks it before paying for an action. The SDK waits
 * for indexing after each write, so a user it just created is already visible here.
 */
export interface UserIndex {
  /** the wallet (lower case) that owns `userId`, or undefined when no such user is indexed */
  walletOf(userId: bigint): Promise<string | undefined>;
  /** whether a wallet already owns a user (one wallet owns one user) */
  ownsUser(wallet: string): Promise<boolean>;
  /** whether a user has this handle (case-insensitive) */
  handleTaken(handle: string): Promise<boolean>;
}

/** Owners never change (a user's wallet is fixed at Create), so found owners are kept, up to this many. */
const OWNER_CACHE_MAX = 10_000;
const LOOKUP_TIMEOUT_MS = 5_000;

/** A UserIndex over the discovery nodes' REST API; the first node that answers is believed. */
export function discoveryUserIndex(discoveryNodes: () => string[] | Promise<string[]>, log: Logger): UserIndex {
  const owners = new Map<bigint, string>();

  /** The `data` of a GET, or undefined on a 404; NODE_UNAVAILABLE when no node answers. */
  async function get(path: string): Promise<Record<string, unknown> | undefined> {
    const nodes = await discoveryNodes();
    let lastError: unknown;
    for (const node of nodes) {
      try {
        const res = await fetch(`${node.replace(/\/+$/, "")}/v1${path}`, { signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) });
        if (res.status === 404) return undefined;
        if (res.ok) {
          const body = (await res.json()) as { data?: Record<string, unknown> };
          if (body?.data && typeof body.data === "object") return body.data;
        }
        lastError = new Error(`HTTP ${res.status}`);
      } catch (cause) {
        lastError = cause;
      }
      log("discovery node lookup failed", { node, path, error: String(lastError) });
    }
    throw new AsixError("NODE_UNAVAILABLE", "no discovery node answered who owns this user; nothing was relayed", { cause: lastError });
  }

  return {
    async walletOf(userId) {
      const known = owners.get(userId);
      if (known) return known;
      // ids beyond what hashids encode cannot name an indexed user
      if (userId < 0n || userId > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
      const user = await get(`/users/${encodeHashId(Number(userId))}`);
      if (typeof user?.wallet !== "string") return undefined;
      if (owners.size >= OWNER_CACHE_MAX) owners.clear();
      owners.set(userId, user.wallet.toLowerCase());
      return user.wallet.toLowerCase();
    },
    async ownsUser(wallet) {
      return (await get(`/users/account/${wallet}`)) !== undefined;
    },
    async handleTaken(handle) {
      return (await get(`/users/handle/${encodeURIComponent(handle)}`)) !== undefined;
    },
  };
}
