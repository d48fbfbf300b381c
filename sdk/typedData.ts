import type { Signer } from "ethers";
import { AsixError } from "./errors";
import { bytesToHex, concatBytes, hexToBytes, id, keccak256, keccak256Bytes, randomBytes, toChecksumAddress, utf8Bytes } from "./eth/bytes";
import { abiDecode, abiEncode, type AbiType } from "./eth/abi";
import { recoverAddress } from "./eth/keys";
import {
  ENTITY_MANAGER_DOMAIN,
  MANAGE_ENTITY_TYPE_STRING,
  MANAGE_ENTITY_TYPES,
  MANAGE_ENTITY_WITH_DEADLINE_TYPE_STRING,
  MANAGE_ENTITY_WITH_DEADLINE_TYPES,
} from "./protocol/entityManagerTypes";

export {
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
  /** the acting user's id */
  userId: bigint | number;
  /** what the action is on: User, Track or Playlist */
  entityType: string;
  /** the id of the entity acted on */
  entityId: bigint | number;
  /** what is done: Create, Update, Delete, Follow, Save, Repost, ... */
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
const utf8Hash = id;
const DOMAIN_TYPE_STRING = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
// The exported hashes and selectors below are written out rather than computed at import: hashing
// here would load keccak with the SDK's entry, on every app start. test/sdk/load.test.ts recomputes
// them from their strings, and test/sdk/eth.test.ts checks the selectors against the compiled ABI.
/** keccak256 of the ManageEntity type string (EIP-712 typeHash). */
export const MANAGE_ENTITY_TYPEHASH = "0x9a6b44fb0f3210845b6e72f755bb82d1f6412455a75ca6fe91fda8b1c35f44ee";
/** keccak256 of the ManageEntityWithDeadline type string (EIP-712 typeHash). */
export const MANAGE_ENTITY_WITH_DEADLINE_TYPEHASH = "0xca54c6a03ef8de85f8e9a8d7208a6b4a1f36882f22b12e154ebe0b7cab87b5e6";

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
    abiEncode(
      ["bytes32", "bytes32", "bytes32", "uint256", "address"],
      [utf8Hash(DOMAIN_TYPE_STRING), utf8Hash(ENTITY_MANAGER_DOMAIN.name), utf8Hash(ENTITY_MANAGER_DOMAIN.version), domain.chainId, domain.verifyingContract],
    ),
  );
}

/** A fresh 32-byte nonce. */
export function randomNonce(): string {
  return bytesToHex(randomBytes(32));
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
  const types: AbiType[] = ["bytes32", "uint256", "bytes32", "uint256", "bytes32", "bytes32", "bytes32"];
  const structHash = keccak256Bytes(
    withDeadline ? abiEncode([...types, "uint256"], [...fields, message.deadline!]) : abiEncode(types, fields),
  );
  return keccak256(concatBytes(Uint8Array.of(0x19, 0x01), hexToBytes(entityManagerDomainSeparator(domain)), structHash));
}

interface RawSigner {
  signingKey: { sign(digest: string): { serialized: string } };
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
  let signedBy: string | undefined;
  try {
    signedBy = recoverAddress(hexToBytes(digest), signature);
  } catch {
    signedBy = undefined;
  }
  if (signedBy === undefined || signedBy.toLowerCase() !== address.toLowerCase()) {
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
    return recoverAddress(hexToBytes(manageEntityDigest(domain, message)), signature);
  } catch (cause) {
    throw new AsixError("INVALID_INPUT", "signature does not recover to an address", { cause });
  }
}

// The two EntityManager calls the SDK sends; test/sdk/eth.test.ts checks their selectors against
// the compiled ABI.
const MANAGE_ENTITY_ARGS: AbiType[] = ["uint256", "string", "uint256", "string", "string", "bytes32", "bytes"];
const MANAGE_ENTITY_WITH_DEADLINE_ARGS: AbiType[] = ["uint256", "string", "uint256", "string", "string", "bytes32", "uint256", "bytes"];
/** The 4-byte selector of `manageEntity(uint256,string,uint256,string,string,bytes32,bytes)`. */
export const MANAGE_ENTITY_SELECTOR = "0xd622c72d";
/** The 4-byte selector of `manageEntityWithDeadline(uint256,string,uint256,string,string,bytes32,uint256,bytes)`. */
export const MANAGE_ENTITY_WITH_DEADLINE_SELECTOR = "0xdc3bf92f";

/** EntityManager calldata for a signed action: manageEntityWithDeadline when it has a deadline, else manageEntity. */
export function encodeManageEntityCall(message: ManageEntityMessage, signature: string): string {
  const m = message;
  const args =
    m.deadline !== undefined
      ? abiEncode(MANAGE_ENTITY_WITH_DEADLINE_ARGS, [m.userId, m.entityType, m.entityId, m.action, m.metadata, m.nonce, m.deadline, signature])
      : abiEncode(MANAGE_ENTITY_ARGS, [m.userId, m.entityType, m.entityId, m.action, m.metadata, m.nonce, signature]);
  return (m.deadline !== undefined ? MANAGE_ENTITY_WITH_DEADLINE_SELECTOR : MANAGE_ENTITY_SELECTOR) + bytesToHex(args).slice(2);
}

/** The action and signature inside manageEntity / manageEntityWithDeadline calldata; INVALID_INPUT for anything else. */
export function decodeManageEntityCall(calldata: string): {
  /** the signed action */
  message: ManageEntityMessage;
  /** the signature the call carries (65 bytes, hex) */
  signature: string;
} {
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(calldata);
  } catch (cause) {
    throw new AsixError("INVALID_INPUT", "encodedABI is not valid calldata", { cause });
  }
  const sel = bytesToHex(bytes.subarray(0, 4));
  const withDeadline = sel === MANAGE_ENTITY_WITH_DEADLINE_SELECTOR;
  if (bytes.length < 4 || (!withDeadline && sel !== MANAGE_ENTITY_SELECTOR)) {
    throw new AsixError("INVALID_INPUT", "encodedABI is not a manageEntity call");
  }
  let args: Array<bigint | string | boolean>;
  try {
    args = abiDecode(withDeadline ? MANAGE_ENTITY_WITH_DEADLINE_ARGS : MANAGE_ENTITY_ARGS, bytes.subarray(4));
  } catch (cause) {
    throw new AsixError("INVALID_INPUT", "encodedABI is not valid calldata", { cause });
  }
  if (withDeadline) {
    const [userId, entityType, entityId, action, metadata, nonce, deadline, signature] = args as [bigint, string, bigint, string, string, string, bigint, string];
    return { message: { userId, entityType, entityId, action, metadata, nonce, deadline }, signature };
  }
  const [userId, entityType, entityId, action, metadata, nonce, signature] = args as [bigint, string, bigint, string, string, string, string];
  return { message: { userId, entityType, entityId, action, metadata, nonce }, signature };
}
