import {
  AbiCoder,
  concat,
  getAddress,
  hexlify,
  keccak256,
  randomBytes,
  recoverAddress,
  Signature,
  toUtf8Bytes,
  type Signer,
} from "ethers";
import { AsixError } from "./errors";
import {
  ENTITY_MANAGER_DOMAIN,
  entityManagerInterface,
  MANAGE_ENTITY_TYPE_STRING,
  MANAGE_ENTITY_TYPES,
  MANAGE_ENTITY_WITH_DEADLINE_TYPE_STRING,
  MANAGE_ENTITY_WITH_DEADLINE_TYPES,
} from "./protocol/entityManager";

export {
  entityManagerInterface,
  MANAGE_ENTITY_TYPE_STRING,
  MANAGE_ENTITY_TYPES,
  MANAGE_ENTITY_WITH_DEADLINE_TYPE_STRING,
  MANAGE_ENTITY_WITH_DEADLINE_TYPES,
};

/** The variable part of EntityManager's EIP-712 domain: which chain and which deployment. */
export interface EntityManagerDomain {
  /** Data chain id. */
  chainId: number | bigint;
  /** EntityManager address on the data chain. */
  verifyingContract: string;
}

/** One user action, as signed. Ids are integers (not hashids). */
export interface ManageEntityMessage {
  /** the acting user's integer id */
  userId: bigint | number;
  /** User, Track or Playlist */
  entityType: string;
  /** the target entity's integer id */
  entityId: bigint | number;
  /** Create, Update, Delete, Follow, Save, Repost, ... */
  action: string;
  /** JSON `{"cid":"","data":{...}}`, or "" for social actions. */
  metadata: string;
  /** 32 random bytes, hex. */
  nonce: string;
  /** Unix seconds after which EntityManager refuses it; absent: the reference protocol's ManageEntity. */
  deadline?: bigint | number;
}

// ethers' TypedDataEncoder rewrites `uint` as `uint256` in the type string, which changes the
// typehash; so the digest is assembled here from the exact strings.
const abi = AbiCoder.defaultAbiCoder();
const utf8Hash = (text: string) => keccak256(toUtf8Bytes(text));
const DOMAIN_TYPEHASH = utf8Hash("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
/** keccak256 of the ManageEntity type string (EIP-712 typeHash). */
export const MANAGE_ENTITY_TYPEHASH = utf8Hash(MANAGE_ENTITY_TYPE_STRING);
/** keccak256 of the ManageEntityWithDeadline type string (EIP-712 typeHash). */
export const MANAGE_ENTITY_WITH_DEADLINE_TYPEHASH = utf8Hash(MANAGE_ENTITY_WITH_DEADLINE_TYPE_STRING);

/** The EIP-712 domain separator of an EntityManager deployment. */
const domainSeparators = new Map<string, string>();

/** The EIP-712 domain separator of an EntityManager deployment (computed once per chain and address). */
export function entityManagerDomainSeparator(domain: EntityManagerDomain): string {
  const key = `${domain.chainId}:${domain.verifyingContract}`;
  let separator = domainSeparators.get(key);
  if (separator === undefined) {
    if (domainSeparators.size > 64) domainSeparators.clear();
    domainSeparators.set(key, (separator = computeDomainSeparator(domain)));
  }
  return separator;
}

function computeDomainSeparator(domain: EntityManagerDomain): string {
  return keccak256(
    abi.encode(
      ["bytes32", "bytes32", "bytes32", "uint256", "address"],
      [DOMAIN_TYPEHASH, utf8Hash(ENTITY_MANAGER_DOMAIN.name), utf8Hash(ENTITY_MANAGER_DOMAIN.version), domain.chainId, domain.verifyingContract],
    ),
  );
}

/** A fresh 32-byte nonce. */
export function randomNonce(): string {
  return hexlify(randomBytes(32));
}

/** The EIP-712 digest that the wallet signs and EntityManager recovers from. */
export function manageEntityDigest(domain: EntityManagerDomain, message: ManageEntityMessage): string {
  const withDeadline = message.deadline !== undefined;
  const fields = [
    withDeadline ? MANAGE_ENTITY_WITH_DEADLINE_TYPEHASH : MANAGE_ENTITY_TYPEHASH,
    message.userId,
    utf8Hash(message.entityType),
    message.entityId,
    utf8Hash(message.action),
    utf8Hash(message.metadata),
    message.nonce,
  ];
  const types = ["bytes32", "uint256", "bytes32", "uint256", "bytes32", "bytes32", "bytes32"];
  const structHash = keccak256(
    withDeadline ? abi.encode([...types, "uint256"], [...fields, message.deadline]) : abi.encode(types, fields),
  );
  return keccak256(concat(["0x1901", entityManagerDomainSeparator(domain), structHash]));
}

interface RawSigner {
  signingKey: { sign(digest: string): Signature };
}
interface RpcSigner {
  provider: { send(method: string, params: unknown[]): Promise<string> };
}

/**
 * Sign a ManageEntity message with the user's wallet; returns the 65-byte r‖s‖v signature.
 * A local key signs the digest; a JSON-RPC account gets `eth_signTypedData_v4` with the `uint`
 * types as written. Either way the result is checked by recovering it.
 */
export async function signManageEntity(
  signer: Signer,
  domain: EntityManagerDomain,
  message: ManageEntityMessage,
): Promise<string> {
  const address = await signer.getAddress();
  const digest = manageEntityDigest(domain, message);
  let signature: string;
  if ((signer as unknown as RawSigner).signingKey) {
    signature = (signer as unknown as RawSigner).signingKey.sign(digest).serialized;
  } else if (typeof (signer as unknown as RpcSigner).provider?.send === "function") {
    const typedData = {
      types: {
        EIP712Domain: [
          { name: "name", type: "string" },
          { name: "version", type: "string" },
          { name: "chainId", type: "uint256" },
          { name: "verifyingContract", type: "address" },
        ],
        ...(message.deadline !== undefined ? MANAGE_ENTITY_WITH_DEADLINE_TYPES : MANAGE_ENTITY_TYPES),
      },
      primaryType: message.deadline !== undefined ? "ManageEntityWithDeadline" : "ManageEntity",
      domain: { ...ENTITY_MANAGER_DOMAIN, chainId: Number(domain.chainId), verifyingContract: domain.verifyingContract },
      message: {
        ...message,
        userId: message.userId.toString(),
        entityId: message.entityId.toString(),
        ...(message.deadline !== undefined ? { deadline: message.deadline.toString() } : {}),
      },
    };
    signature = await (signer as unknown as RpcSigner).provider.send("eth_signTypedData_v4", [address, JSON.stringify(typedData)]);
  } else {
    throw new AsixError("INVALID_INPUT", "this signer can neither sign a raw digest nor eth_signTypedData_v4");
  }
  if (getAddress(recoverAddress(digest, signature)) !== getAddress(address)) {
    throw new AsixError("UNAUTHORIZED", "the wallet produced a ManageEntity signature that does not recover to it");
  }
  return signature;
}

/** The wallet that signed a ManageEntity message. */
export function recoverManageEntitySigner(
  domain: EntityManagerDomain,
  message: ManageEntityMessage,
  signature: string,
): string {
  try {
    return recoverAddress(manageEntityDigest(domain, message), Signature.from(signature));
  } catch (cause) {
    throw new AsixError("INVALID_INPUT", "signature does not recover to an address", { cause });
  }
}

/**
 * Calldata for `EntityManager.manageEntity`, exactly as the reference SDK sends it, or for
 * `manageEntityWithDeadline` when the message has a deadline.
 */
export function encodeManageEntityCall(message: ManageEntityMessage, signature: string): string {
  if (message.deadline !== undefined) {
    return entityManagerInterface.encodeFunctionData("manageEntityWithDeadline", [
      message.userId,
      message.entityType,
      message.entityId,
      message.action,
      message.metadata,
      message.nonce,
      message.deadline,
      signature,
    ]);
  }
  return entityManagerInterface.encodeFunctionData("manageEntity", [
    message.userId,
    message.entityType,
    message.entityId,
    message.action,
    message.metadata,
    message.nonce,
    signature,
  ]);
}

/** Parse manageEntity (or manageEntityWithDeadline) calldata back into the message and signature; INVALID_INPUT if it is anything else. */
export function decodeManageEntityCall(calldata: string): { message: ManageEntityMessage; signature: string } {
  let decoded;
  try {
    decoded = entityManagerInterface.parseTransaction({ data: calldata });
  } catch (cause) {
    throw new AsixError("INVALID_INPUT", "encodedABI is not valid calldata", { cause });
  }
  if (decoded?.name === "manageEntityWithDeadline") {
    const [userId, entityType, entityId, action, metadata, nonce, deadline, signature] = decoded.args;
    return { message: { userId, entityType, entityId, action, metadata, nonce, deadline }, signature };
  }
  if (!decoded || decoded.name !== "manageEntity") {
    throw new AsixError("INVALID_INPUT", "encodedABI is not a manageEntity call");
  }
  const [userId, entityType, entityId, action, metadata, nonce, signature] = decoded.args;
  return {
    message: { userId, entityType, entityId, action, metadata, nonce },
    signature,
  };
}
