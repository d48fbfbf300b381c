import { getBytes, type EventFragment, type Interface } from "ethers";
import { EntityManager__factory } from "../../typechain-types";

/**
 * The EntityManager contract as a protocol fact (PROTOCOL.md §2–§3): its ABI (from the compiled
 * contract, so it cannot drift from it), the EIP-712 types its actions are signed with, and the
 * decoder for its two events. The SDK signs and encodes with these; the relay and the indexer
 * import them from here.
 */

export { EntityManager__factory };

/**
 * The full ABI: functions, both events and the custom errors the relay names in a revert. Typed as
 * a plain Interface so that callers may encode from argument arrays (typechain's overloads want tuples).
 */
export const entityManagerInterface: Interface = EntityManager__factory.createInterface();

export {
  ENTITY_MANAGER_DOMAIN,
  MANAGE_ENTITY_TYPE_STRING,
  MANAGE_ENTITY_TYPES,
  MANAGE_ENTITY_WITH_DEADLINE_TYPE_STRING,
  MANAGE_ENTITY_WITH_DEADLINE_TYPES,
} from "./entityManagerTypes";

/** One EntityManager event as read from a log: ManageEntity, or ManageIsVerified. */
export type EntityManagerEvent =
  | {
      /** a ManageEntity event: one user, track, playlist or social action */
      kind: "ManageEntity";
      /** the acting user's id */
      userId: bigint;
      /** the address that signed the action (recovered by the contract) */
      signer: string;
      /** what the action is on, e.g. "User", "Track", "Playlist" */
      entityType: string;
      /** the id of the entity acted on */
      entityId: bigint;
      /** the action's metadata string, as signed */
      metadata: string;
      /** what was done, e.g. "Create", "Update", "Follow" */
      action: string;
      /** true when a string field was not valid UTF-8 (decoded with replacement characters) */
      invalidUtf8: boolean;
    }
  | {
      /** a ManageIsVerified event: the verifier set a user's verified mark */
      kind: "ManageIsVerified";
      /** the user whose mark changed */
      userId: bigint;
      /** whether the user is now verified */
      isVerified: boolean;
    };

const manageEntityEvent = entityManagerInterface.getEvent("ManageEntity")!;
const manageIsVerifiedEvent = entityManagerInterface.getEvent("ManageIsVerified")!;
/** topic0 of EntityManager's ManageEntity event. */
export const MANAGE_ENTITY_TOPIC = manageEntityEvent.topicHash;
/** topic0 of EntityManager's ManageIsVerified event. */
export const MANAGE_IS_VERIFIED_TOPIC = manageIsVerifiedEvent.topicHash;

// The decoder below reads ABI words at fixed offsets because the generic decoder cost ~0.5 ms per
// event, which capped indexer backfill far below 5,000 actions/s. These layouts are checked
// against the compiled ABI when the module loads, so a changed event fails loudly, not silently.
assertLayout(manageEntityEvent, ["uint256", "address", "string", "uint256", "string", "string"]);
assertLayout(manageIsVerifiedEvent, ["uint256", "bool"]);

function assertLayout(event: EventFragment, types: string[]): void {
  const actual = event.inputs.map((p) => (p.indexed ? `indexed ${p.type}` : p.type));
  if (actual.join(",") !== types.join(",")) throw new Error(`EntityManager event ${event.name}(${actual}) is not the decoder's (${types})`);
}

const utf8 = new TextDecoder("utf-8", { fatal: false });
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** ABI words of one log's data, read in place from its hex. */
class AbiWords {
  constructor(private readonly hex: string) {}
  private word(offset: number): string {
    const start = 2 + offset * 2;
    if (start + 64 > this.hex.length) throw new Error("log data too short");
    return this.hex.slice(start, start + 64);
  }
  uint(offset: number): bigint {
    return BigInt("0x" + this.word(offset));
  }
  address(offset: number): string {
    return "0x" + this.word(offset).slice(24).toLowerCase();
  }
  /** a dynamic `string` whose head word is at `headOffset`; strings are arbitrary bytes on chain */
  string(headOffset: number, flags: { invalid: boolean }): string {
    const start = Number(this.uint(headOffset));
    const length = Number(this.uint(start));
    const from = 2 + (start + 32) * 2;
    if (from + length * 2 > this.hex.length) throw new Error("log data too short");
    const bytes = getBytes("0x" + this.hex.slice(from, from + length * 2));
    try {
      return strictUtf8.decode(bytes);
    } catch {
      flags.invalid = true;
      return utf8.decode(bytes);
    }
  }
}

/**
 * An EntityManager log's event; undefined for any other topic. Throws on data too short for its
 * layout. Invalid UTF-8 in a string is replaced (U+FFFD) and flagged, not thrown: anyone can emit it.
 */
export function decodeEntityManagerLog(log: { topics: readonly string[]; data: string }): EntityManagerEvent | undefined {
  const words = new AbiWords(log.data);
  if (log.topics[0] === MANAGE_IS_VERIFIED_TOPIC) {
    return { kind: "ManageIsVerified", userId: words.uint(0), isVerified: words.uint(32) !== 0n };
  }
  if (log.topics[0] !== MANAGE_ENTITY_TOPIC) return undefined;
  const flags = { invalid: false };
  return {
    kind: "ManageEntity",
    userId: words.uint(0),
    signer: words.address(32),
    entityType: words.string(64, flags),
    entityId: words.uint(96),
    metadata: words.string(128, flags),
    action: words.string(160, flags),
    invalidUtf8: flags.invalid,
  };
}
