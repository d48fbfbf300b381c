import { AsixError } from "../../../sdk/errors";
import type { ManageEntityMessage } from "../../../sdk/eip712";
import { HANDLE_PATTERN } from "../../../sdk/users/createUser";
import type { UserIndex } from "./userIndex";
import { PROTOCOL_ACTIONS } from "./rateLimit";

/**
 * Which signed actions the relay pays for: only those that can succeed at the indexer
 * (PROTOCOL.md §3). The signer must own the acting user, or the action must be a user Create that
 * can apply (a free id, a wallet with no user yet, a free valid handle). A relay that would be
 * mined and then rejected by every indexer costs the relayers gas and buys nothing.
 */


/**
 * Metadata caps in UTF-8 bytes, each well over the largest valid document of its kind (the
 * indexer's field limits, at up to 3 bytes a character), so they refuse only junk: a user (name,
 * bio, location ≤ 512 characters) 8 KiB; a track (description 2,500 and tags 1,000) 24 KiB; a
 * playlist 64 KiB (about 1,400 tracks). Social actions carry "" or `{"is_save_of_repost":bool}`.
 * Calldata costs 16 gas a byte and the event 8 more, so 64 KiB is about 1.7M gas at most.
 */
export const METADATA_CAPS = { User: 8 * 1024, Track: 24 * 1024, Playlist: 64 * 1024, social: 256 } as const;

const CONTENT_ACTIONS = new Set(["Create", "Update"]);

/**
 * What needs no lookup: INVALID_INPUT for an action the protocol does not have or an id the indexer
 * cannot hold (above 2^53 - 1), PAYLOAD_TOO_LARGE over the metadata cap of the action's kind.
 */
export function checkActionShape(message: ManageEntityMessage): void {
  if (!PROTOCOL_ACTIONS[message.entityType]?.includes(message.action)) {
    throw new AsixError("INVALID_INPUT", `${message.action} ${message.entityType} is not an action of the protocol, so it cannot succeed; nothing was relayed`, {
      details: { entityType: message.entityType, action: message.action },
    });
  }
  for (const [name, id] of [["userId", message.userId], ["entityId", message.entityId]] as const) {
    if (BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new AsixError("INVALID_INPUT", `${name} ${id} is beyond what any index holds (2^53 - 1), so the action cannot succeed; nothing was relayed`);
    }
  }
  const cap = CONTENT_ACTIONS.has(message.action) ? METADATA_CAPS[message.entityType as "User" | "Track" | "Playlist"] : METADATA_CAPS.social;
  const bytes = Buffer.byteLength(message.metadata, "utf8");
  if (bytes > cap) {
    throw new AsixError("PAYLOAD_TOO_LARGE", `metadata of ${message.action} ${message.entityType} is ${bytes} bytes; at most ${cap} are relayed`, {
      details: { bytes, cap },
    });
  }
}

/** Refuse, with a 4xx, an action whose signer does not own its user, or a user Create that cannot apply. */
export async function checkActionCanSucceed(users: UserIndex, message: ManageEntityMessage, signer: string): Promise<void> {
  const userId = BigInt(message.userId);
  if (message.entityType === "User" && message.action === "Create") return checkUserCreate(users, message, signer);
  const owner = await users.walletOf(userId);
  if (!owner) {
    throw new AsixError("NOT_FOUND", `user ${userId} does not exist (or is not indexed yet), so it cannot act; nothing was relayed`, { details: { userId: String(userId) } });
  }
  if (owner !== signer.toLowerCase()) {
    throw new AsixError("UNAUTHORIZED", `the signer does not own user ${userId}; nothing was relayed`, { details: { userId: String(userId), signer } });
  }
}

async function checkUserCreate(users: UserIndex, message: ManageEntityMessage, signer: string): Promise<void> {
  const userId = BigInt(message.userId);
  if (userId !== BigInt(message.entityId)) throw new AsixError("INVALID_INPUT", "a user Create must have userId equal to entityId");
  const { handle, wallet } = createdUser(message.metadata);
  if (wallet !== undefined && wallet.toLowerCase() !== signer.toLowerCase()) {
    throw new AsixError("INVALID_INPUT", "a user Create's metadata wallet must be its signer");
  }
  const [owner, hasUser, handleTaken] = await Promise.all([users.walletOf(userId), users.ownsUser(signer), users.handleTaken(handle)]);
  if (owner) throw new AsixError("CONFLICT", `user id ${userId} is taken; nothing was relayed`);
  if (hasUser) throw new AsixError("CONFLICT", `wallet ${signer} already owns a user; nothing was relayed`);
  if (handleTaken) throw new AsixError("CONFLICT", `handle ${handle} is taken; nothing was relayed`);
}

/** The handle and wallet of a user Create's metadata `{"cid":"","data":{"handle":…,"wallet":signer?}}`. */
function createdUser(metadata: string): { handle: string; wallet?: string } {
  let data: unknown;
  try {
    data = (JSON.parse(metadata) as { data?: unknown })?.data;
  } catch {
    data = undefined;
  }
  const { handle, wallet } = (data ?? {}) as { handle?: unknown; wallet?: unknown };
  if (typeof handle !== "string" || !HANDLE_PATTERN.test(handle)) {
    throw new AsixError("INVALID_INPUT", "a user Create needs metadata {\"cid\":\"\",\"data\":{\"handle\":…}} with a handle of [A-Za-z0-9_]{1,30}");
  }
  return { handle, wallet: typeof wallet === "string" && wallet !== "" ? wallet : undefined };
}
