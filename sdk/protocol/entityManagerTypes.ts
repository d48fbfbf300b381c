/**
 * The EIP-712 types EntityManager actions are signed with (PROTOCOL.md §2). Apart from the
 * contract's ABI (./entityManager) so that signing needs neither ethers nor the bindings.
 */

/** The reference protocol's exact type string. `uint`, not `uint256`: the typehash is over this text. */
export const MANAGE_ENTITY_TYPE_STRING =
  "ManageEntity(uint userId,string entityType,uint entityId,string action,string metadata,bytes32 nonce)";

/** EIP-712 types of a ManageEntity message (no deadline). */
export const MANAGE_ENTITY_TYPES = {
  /** The ManageEntity struct's fields, in typehash order. */
  ManageEntity: [
    {
      /** the field's name in the message */
      name: "userId",
      /** the field's EIP-712 type */
      type: "uint",
    },
    { name: "entityType", type: "string" },
    { name: "entityId", type: "uint" },
    { name: "action", type: "string" },
    { name: "metadata", type: "string" },
    { name: "nonce", type: "bytes32" },
  ],
};

/**
 * Our deadline-carrying variant (EntityManager.manageEntityWithDeadline): a signed action that was
 * never sent cannot be sent after its deadline (and so cannot roll an entity back much later).
 * Canonical EIP-712 (`uint256`), so any typed-data encoder gives the same digest.
 */
export const MANAGE_ENTITY_WITH_DEADLINE_TYPE_STRING =
  "ManageEntityWithDeadline(uint256 userId,string entityType,uint256 entityId,string action,string metadata,bytes32 nonce,uint256 deadline)";

/** EIP-712 types of a ManageEntityWithDeadline message: what the SDK signs. */
export const MANAGE_ENTITY_WITH_DEADLINE_TYPES = {
  /** The ManageEntityWithDeadline struct's fields, in typehash order. */
  ManageEntityWithDeadline: [
    {
      /** the field's name in the message */
      name: "userId",
      /** the field's EIP-712 type */
      type: "uint256",
    },
    { name: "entityType", type: "string" },
    { name: "entityId", type: "uint256" },
    { name: "action", type: "string" },
    { name: "metadata", type: "string" },
    { name: "nonce", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
};

/** EIP-712 domain name and version of every EntityManager deployment. */
export const ENTITY_MANAGER_DOMAIN = {
  /** EIP-712 domain `name` */
  name: "Entity Manager",
  /** EIP-712 domain `version` */
  version: "1",
} as const;
