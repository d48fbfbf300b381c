import { Interface, isError, type ErrorDescription, type Result } from "ethers";
import { ETH_CONTRACT_ABIS } from "../protocol/ethContractAbis";
import { AsixError } from "../errors";
import { bytes32Text, formatAudio } from "./units";

/**
 * Every custom error of every eth contract in one interface: a revert that bubbles up from a callee
 * (Staking under the factory, the token under a permit) keeps its selector, so any call decodes here.
 */
export const ETH_CONTRACT_ERRORS = new Interface(uniqueByJson(Object.values(ETH_CONTRACT_ABIS).flatMap((abi) => abi.filter((item) => item.type === "error"))));

/** Each item once; one pass with a set (a findIndex per item stringified the list ~n² times, 0.3 s at every load). */
function uniqueByJson<T>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What the caller was doing, so that a message can say more than the error's arguments. */
export interface RevertContext {
  /** e.g. "register", "delegate" */
  action: string;
  /** the service type the call was about, when there is one */
  serviceType?: string;
}

const OUTCOMES = ["InProgress", "Rejected", "ApprovedExecuted", "QuorumNotMet", "Vetoed", "ApprovedExecutionFailed"];

const amount = (x: unknown) => formatAudio(x as bigint);
const text = (x: unknown) => bytes32Text(String(x));

/** One human sentence per custom error, amounts in AUDIO, service types and keys as text. */
const MESSAGES: Record<string, (a: Result, ctx: RevertContext) => string> = {
  // shared (Errors.sol)
  NotGovernance: (a) => `only Governance may do this (called by ${a.caller})`,
  ZeroAddress: () => "an address argument is the zero address",
  ZeroAmount: () => "the amount must be more than 0 AUDIO",
  CallerNotAllowed: (a) => `${a.caller} is not allowed to move stake`,
  StakeBelowMinimum: (a, ctx) =>
    `stake ${amount(a.stake)} is below the ${ctx.serviceType ? `${ctx.serviceType} ` : "operator's "}minimum ${amount(a.minimum)}`,
  StakeAboveMaximum: (a, ctx) =>
    `stake ${amount(a.stake)} is above the ${ctx.serviceType ? `${ctx.serviceType} ` : "operator's "}maximum ${amount(a.maximum)}`,
  InsufficientStake: (a) => `${a.account} has ${amount(a.stake)} staked, less than ${amount(a.amount)}`,
  NotAServiceProvider: (a) => `${a.account} is not a service provider (no registered node)`,
  LockupNotEnded: (a) => `the lockup ends at block ${a.lockupExpiryBlock} (current block ${a.currentBlock})`,
  ClaimPending: (a) => `${a.serviceProvider} has a reward claim pending; claim it first (asix rewards claim)`,
  PermitFailed: (a) => `the permit failed and ${a.owner}'s allowance ${amount(a.allowance)} does not cover ${amount(a.amount)}`,
  SignatureExpired: (a) => `the signature expired at ${new Date(Number(a.deadline) * 1000).toISOString()}`,
  InvalidSignature: (a) => `the signature is not ${a.signer}'s for this call (tampered, another signer, or another chain or contract)`,
  RequestExpired: (a) => `the request expired at block ${a.expiryBlock} (current block ${a.currentBlock}); cancel it and ask again`,
  LockupTooShort: (a) => `a withdrawal lockup of ${a.lockupDuration} blocks is too short: it must be at least ${a.minimum} (voting period + execution delay + 1)`,
  // Governed
  NotPendingGovernance: (a) => `${a.caller} was not offered the governance role (pending: ${a.pendingGovernance})`,
  // token (AsixToken + OpenZeppelin)
  NotClaimsManager: (a) => `only the ClaimsManager may mint (called by ${a.caller})`,
  ERC20InsufficientBalance: (a) => `${a.sender} holds ${amount(a.balance)}, less than ${amount(a.needed)}`,
  ERC20InsufficientAllowance: (a) => `allowance ${amount(a.allowance)} for ${a.spender} is less than ${amount(a.needed)}`,
  ERC20InvalidApprover: (a) => `invalid approver ${a.approver}`,
  ERC20InvalidReceiver: (a) => `invalid receiver ${a.receiver}`,
  ERC20InvalidSender: (a) => `invalid sender ${a.sender}`,
  ERC20InvalidSpender: (a) => `invalid spender ${a.spender}`,
  ERC2612ExpiredSignature: (a) => `the permit expired at ${new Date(Number(a.deadline) * 1000).toISOString()}`,
  ERC2612InvalidSigner: (a) => `the permit was signed by ${a.signer}, not by the owner ${a.owner}`,
  InvalidAccountNonce: (a) => `${a.account}'s nonce is ${a.currentNonce}: the signature was used already or is out of order`,
  ECDSAInvalidSignature: () => "invalid signature",
  ECDSAInvalidSignatureLength: (a) => `invalid signature length ${a.length}`,
  ECDSAInvalidSignatureS: () => "invalid signature (s value)",
  InvalidShortString: () => "invalid short string",
  StringTooLong: (a) => `string too long: ${a.str}`,
  // Registry
  ContractAlreadyRegistered: (a) => `${text(a.name)} is already registered at ${a.contractAddress}`,
  ContractNotRegistered: (a) => `nothing is registered as ${text(a.name)}`,
  // ServiceTypeManager
  InvalidServiceType: (a) => `${text(a.serviceType)} is not a valid service type`,
  InvalidStakeBounds: (a) => `stake bounds ${amount(a.minStake)}..${amount(a.maxStake)} are invalid (need 0 < min <= max)`,
  ServiceTypeAlreadyExists: (a) => `service type ${text(a.serviceType)} exists already`,
  ServiceVersionAlreadyExists: (a) => `version ${text(a.serviceVersion)} of ${text(a.serviceType)} exists already`,
  ServiceVersionNotFound: (a) => `version ${text(a.serviceVersion)} of ${text(a.serviceType)} does not exist`,
  // Staking
  CheckpointUnorderedInsertion: () => "stake checkpoints out of order",
  SafeCastOverflowedUintDowncast: (a) => `value ${a.value} does not fit in ${a.bits} bits`,
  SafeERC20FailedOperation: (a) => `token transfer failed (${a.token})`,
  // ServiceProviderFactory
  DecreaseStakeRequestPending: (a) =>
    `a decrease of ${amount(a.amount)} is already pending until block ${a.lockupExpiryBlock}; finish or cancel it first`,
  DeployerCutTooHigh: (a) => `deployer cut ${a.cut}% is above ${a.maximum}%`,
  DeployerCutUpdatePending: (a) => `a deployer cut change to ${a.requestedCut}% is already pending until block ${a.lockupExpiryBlock}`,
  EmptyEndpoint: () => "the endpoint is empty",
  EndpointAlreadyRegistered: (a) => `endpoint ${a.endpoint} is already registered (spId ${a.spId})`,
  EndpointNotRegistered: (a) => `no ${text(a.serviceType)} is registered at ${a.endpoint}`,
  NotEndpointOwner: (a) => `${a.endpoint} belongs to ${a.owner}, not ${a.caller}`,
  NoPendingDecreaseStake: (a) => `${a.owner} has no pending stake decrease`,
  NoPendingDeployerCutUpdate: (a) => `${a.owner} has no pending deployer cut change`,
  // DelegateManager
  DelegationBelowMinimum: (a) => `delegation ${amount(a.amount)} is below the minimum delegation ${amount(a.minimum)}`,
  NoPendingRemoveDelegator: (a) => `${a.serviceProvider} has no pending removal of ${a.delegator}`,
  NoPendingUndelegate: (a) => `${a.delegator} has no pending undelegation`,
  NotADelegator: (a) => `${a.delegator} has no delegation with ${a.serviceProvider}`,
  NotServiceProviderOwner: (a) => `only ${a.serviceProvider} may remove its delegators (called by ${a.caller})`,
  RemoveDelegatorRequestPending: (a) => `removal of ${a.delegator} is already pending until block ${a.lockupExpiryBlock}`,
  TooManyDelegators: (a) => `${a.serviceProvider} already has the maximum of ${a.maximum} delegators`,
  DelegatorRemovedByOperator: (a) => `${a.serviceProvider} removed ${a.delegator}, which cannot delegate to it again`,
  MaxDelegatorsTooHigh: (a) => `at most ${a.limit} delegators per operator, not ${a.maxDelegators}`,
  UndelegateRequestPending: (a) =>
    `an undelegation of ${amount(a.amount)} from ${a.serviceProvider} is already pending; finish it first`,
  // ClaimsManager
  NoActiveRound: () => "no funding round has started yet (asix rewards round)",
  NoClaimPending: (a) => `${a.serviceProvider} has nothing to claim in round ${a.roundNumber}`,
  RoundTooSoon: (a) => `the next round can start at block ${a.nextRoundBlock} (current block ${a.currentBlock})`,
  // Governance
  AlreadyVoted: (a) => `${a.voter} already voted on proposal ${a.proposalId}`,
  EmptyFunctionSignature: () => "the function signature is empty",
  EvaluationTooEarly: (a) => `proposal ${a.proposalId} can be evaluated from block ${a.earliestBlock} (current block ${a.currentBlock})`,
  InvalidQuorumPercent: (a) => `quorum ${a.quorumPercent}% must be 1..100`,
  InvalidTargetContract: (a) => `nothing is registered as ${text(a.targetContractRegistryKey)}`,
  InvalidVote: () => "a vote is Yes or No",
  NotAStaker: (a) => `${a.account} has no stake of its own (active at the block before the proposal), so it cannot propose or vote`,
  CallValueNotSupported: (a) => `no eth contract takes ether: callValue must be 0, not ${a.callValue}`,
  GuardianCallForbidden: (a) => `the guardian may not call ${text(a.targetContractRegistryKey)} (selector ${a.selector}); it needs a proposal`,
  NotPendingGuardian: (a) => `${a.caller} was not offered the guardian role`,
  EvaluationIsPaused: (a) => `the guardian paused evaluation until block ${a.untilBlock}`,
  PauseTooSoon: (a) => `the guardian can pause again from block ${a.nextPauseBlock}`,
  NotGuardian: (a) => `only the guardian may do this (called by ${a.caller})`,
  ProposalNotFound: (a) => `proposal ${a.proposalId} does not exist`,
  ProposalNotInProgress: (a) => `proposal ${a.proposalId} is no longer in progress (${OUTCOMES[Number(a.outcome)] ?? a.outcome})`,
  TransactionFailed: (a) => `the call failed (${a.returnData})`,
  VotingPeriodEnded: (a) => `voting on proposal ${a.proposalId} ended at block ${a.votingEndBlock}`,
  // Solidity's built-in reverts
  Error: (a) => String(a[0]),
  Panic: (a) => `panic 0x${BigInt(a[0]).toString(16)} (${PANICS[Number(a[0])] ?? "unknown"})`,
};

const PANICS: Record<number, string> = {
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division by zero",
  0x21: "invalid enum value",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to an uninitialized function",
};

/** The writes that can go through the eth relay instead. */
const GASLESS_ACTIONS = new Set(["delegate", "increaseStake"]);

/** The names of the custom errors that have a message (every one of the eth contracts'). */
export const KNOWN_REVERTS = Object.keys(MESSAGES);

/** The sentence for a decoded custom error. */
export function describeRevert(error: ErrorDescription, context: RevertContext): string {
  const message = MESSAGES[error.name];
  if (message) return message(error.args, context);
  return `${error.name}(${error.args.map(String).join(", ")})`;
}

/** Find revert data anywhere in an ethers / JSON-RPC error. */
function revertData(e: unknown, depth = 0): string | undefined {
  if (!e || typeof e !== "object" || depth > 5) return undefined;
  const data = (e as { data?: unknown }).data;
  if (typeof data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(data)) return data;
  if (data && typeof data === "object") {
    const nested = revertData(data, depth + 1);
    if (nested) return nested;
  }
  for (const key of ["error", "info", "cause", "payload"]) {
    const nested = revertData((e as Record<string, unknown>)[key], depth + 1);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * Turn whatever a contract call threw into an AsixError: CHAIN_REVERTED naming the custom error and
 * its arguments in human units, NODE_UNAVAILABLE when the RPC is unreachable; AsixErrors pass through.
 */
export function toAsixError(e: unknown, context: RevertContext): AsixError {
  if (e instanceof AsixError) return e;
  const data = revertData(e);
  if (data) {
    let decoded: ErrorDescription | null = null;
    try {
      decoded = ETH_CONTRACT_ERRORS.parseError(data);
    } catch {
      decoded = null;
    }
    if (decoded) {
      const args = Object.fromEntries(decoded.fragment.inputs.map((input, i) => [input.name || String(i), decoded!.args[i]]));
      return new AsixError("CHAIN_REVERTED", `${context.action}: ${describeRevert(decoded, context)}`, {
        cause: e,
        details: { error: decoded.name, args, action: context.action },
      });
    }
  }
  if (isError(e, "CALL_EXCEPTION")) {
    const reason = e.reason ?? e.shortMessage;
    return new AsixError("CHAIN_REVERTED", `${context.action}: reverted (${reason})`, { cause: e, details: { action: context.action } });
  }
  const message = e instanceof Error ? e.message.split("\n")[0] : String(e);
  // ethers names it on most nodes; Hardhat's message is left uncoalesced
  if (isError(e, "INSUFFICIENT_FUNDS") || /doesn't have enough funds to send tx|insufficient funds for gas/i.test(message)) {
    const hint = GASLESS_ACTIONS.has(context.action) ? " (with { gasless: true } the identity service's eth relay pays it)" : "";
    return new AsixError("CHAIN_REVERTED", `${context.action}: the wallet has too little ETH for gas${hint}`, { cause: e });
  }
  const unreachable = /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|fetch failed|socket hang up|NETWORK_ERROR/i.test(message) || isError(e, "NETWORK_ERROR");
  return new AsixError(unreachable ? "NODE_UNAVAILABLE" : "INTERNAL", `${context.action}: ${message}`, { cause: e });
}
