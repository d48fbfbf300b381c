import { AbiCoder, encodeBytes32String, FunctionFragment, isHexString } from "ethers";
import { ETH_REGISTRY_KEYS } from "../staking/protocol";
import type { AsixClient } from "../client";
import { AsixError } from "../errors";
import { call, ethChain, ethSigner, findEvent, requireAmount, send, txResult, writeBudget, type TransactionResult, type WriteOptions } from "../staking/contracts";
import { bytes32Text } from "../staking/units";
import { describeRevert, ETH_CONTRACT_ERRORS } from "../staking/revert";

/** Proposal outcomes in the order of Governance's Outcome enum. */
export const OUTCOMES = ["InProgress", "Rejected", "ApprovedExecuted", "QuorumNotMet", "Vetoed", "ApprovedExecutionFailed"] as const;
/** Where a proposal stands: in progress or how it was settled. */
export type ProposalOutcome = (typeof OUTCOMES)[number];
/** A vote. */
export type VoteChoice = "Yes" | "No";
const VOTE_VALUE: Record<VoteChoice, number> = { No: 1, Yes: 2 };

/** A proposal: the call to make, and its title and description. Give `args` or `callData`, not both. */
export type ProposeParameters = WriteOptions & {
  /** Registry key of the contract to call, e.g. "ClaimsManager" or "DelegateManager" (or its bytes32 hex) */
  target: string;
  /** e.g. "updateFundingAmount(uint256)" */
  functionSignature: string;
  /** short title */
  name: string;
  /** what and why */
  description: string;
  /** wei sent with the call: must be 0 (no eth contract takes ether; CallValueNotSupported otherwise) */
  callValue?: bigint;
} & (
  | {
      /** ABI-encoded arguments, without the selector */
      callData: string;
      /** not with `callData` */
      args?: never;
    }
  | {
      /** arguments, encoded here with the signature's types */
      args: unknown[];
      /** not with `args` */
      callData?: never;
    }
);

/** A proposal with its votes, timings and outcome. */
export interface Proposal {
  /** the proposal's id, from 1 */
  proposalId: number;
  /** who proposed it */
  proposer: string;
  /** its title */
  name: string;
  /** what and why */
  description: string;
  /** Registry key of the target, as text */
  target: string;
  /** the address the Registry key named when it was proposed */
  targetContractAddress: string;
  /** the function to call, e.g. updateFundingAmount(uint256) */
  functionSignature: string;
  /** the call's ABI-encoded arguments */
  callData: string;
  /** wei sent with the call (always 0) */
  callValue: bigint;
  /** in progress, or how it was settled */
  outcome: ProposalOutcome;
  /** stake-weighted votes, wei */
  voteMagnitudeYes: bigint;
  /** stake-weighted votes against, wei */
  voteMagnitudeNo: bigint;
  /** how many stakers voted */
  numVotes: number;
  /** the block it was proposed in */
  submissionBlockNumber: number;
  /** last block in which votes are accepted */
  votingEndBlock: number;
  /** first block at which evaluate succeeds */
  earliestEvaluationBlock: number;
}

/** The bytes32 Registry key for "ClaimsManager", "claimsManager" or a 0x bytes32. */
function registryKey(target: unknown): string {
  if (typeof target !== "string" || target === "") throw new AsixError("INVALID_INPUT", "target must be a Registry key such as ClaimsManager");
  if (isHexString(target, 32)) return target;
  const known = (ETH_REGISTRY_KEYS as Record<string, string>)[target];
  if (known) return known;
  try {
    return encodeBytes32String(target);
  } catch (cause) {
    throw new AsixError("INVALID_INPUT", `target ${JSON.stringify(target)} is too long for a Registry key`, { cause });
  }
}

function encodeCall(params: ProposeParameters): { functionSignature: string; callData: string } {
  let fragment: FunctionFragment;
  try {
    fragment = FunctionFragment.from(String(params.functionSignature));
  } catch (cause) {
    throw new AsixError("INVALID_INPUT", `functionSignature ${JSON.stringify(params.functionSignature)} is not like "updateFundingAmount(uint256)"`, { cause });
  }
  // the contract hashes the signature string as given, so hand it the canonical form
  const functionSignature = fragment.format("sighash");
  if (params.callData !== undefined && params.args !== undefined) throw new AsixError("INVALID_INPUT", "give callData or args, not both");
  if (params.callData !== undefined) {
    if (!isHexString(params.callData)) throw new AsixError("INVALID_INPUT", "callData must be 0x hex");
    return { functionSignature, callData: params.callData };
  }
  const args = params.args ?? [];
  try {
    return { functionSignature, callData: AbiCoder.defaultAbiCoder().encode(fragment.inputs, args) };
  } catch (cause) {
    throw new AsixError("INVALID_INPUT", `args do not fit ${functionSignature}: ${(cause as Error).message.split("\n")[0]}`, { cause });
  }
}

/** Propose a call to a registered contract; the wallet must have had active stake of its own in the previous block. */
export async function propose(client: AsixClient, params: ProposeParameters): Promise<
  TransactionResult & {
    /** the new proposal's id */
    proposalId: number;
  }
> {
  const budget = writeBudget(params, "governance.propose");
  const key = registryKey(params?.target);
  const { functionSignature, callData } = encodeCall(params);
  const callValue = requireAmount(params.callValue ?? 0n, "callValue", true);
  if (typeof params.name !== "string" || params.name.trim() === "") throw new AsixError("INVALID_INPUT", "a proposal needs a name");
  const description = typeof params.description === "string" ? params.description : "";
  const { chain, signer, contracts } = ethSigner(client, "governance.propose");
  const receipt = await send(
    { action: "propose" },
    signer,
    () => contracts.governance.submitProposal(key, callValue, functionSignature, callData, params.name, description),
    budget,
  );
  const event = findEvent(receipt, contracts.governance.interface, chain.addresses.governance, "ProposalSubmitted");
  return { ...txResult(receipt), proposalId: Number(event.args.proposalId) };
}

/**
 * Vote on a proposal, weighted by the wallet's own active stake (operator stake plus delegations,
 * less what is queued for withdrawal) at the end of the block before the proposal's.
 */
export async function vote(
  client: AsixClient,
  proposalId: number,
  choice: VoteChoice,
  options?: WriteOptions,
): Promise<
  TransactionResult & {
    /** the proposal voted on */
    proposalId: number;
    /** the vote cast */
    vote: VoteChoice;
    /** the vote's weight: the wallet's active stake it counted, in wei */
    voteMagnitude: bigint;
  }
> {
  const id = requireProposalId(proposalId);
  if (!(choice in VOTE_VALUE)) throw new AsixError("INVALID_INPUT", `a vote is "Yes" or "No", got ${JSON.stringify(choice)}`);
  const budget = writeBudget(options, "governance.vote");
  const { chain, signer, contracts } = ethSigner(client, "governance.vote");
  const receipt = await send({ action: "vote" }, signer, () => contracts.governance.submitVote(id, VOTE_VALUE[choice]), budget);
  const event = findEvent(receipt, contracts.governance.interface, chain.addresses.governance, "ProposalVoteSubmitted");
  return { ...txResult(receipt), proposalId: id, vote: choice, voteMagnitude: event.args.voteMagnitude as bigint };
}

export interface EvaluateResult extends TransactionResult {
  /** the proposal settled */
  proposalId: number;
  /** how it was settled */
  outcome: ProposalOutcome;
  /** stake-weighted votes for, wei */
  voteMagnitudeYes: bigint;
  /** stake-weighted votes against, wei */
  voteMagnitudeNo: bigint;
  /** how many stakers voted */
  numVotes: number;
  /** when the approved call reverted (outcome ApprovedExecutionFailed): why */
  executionError?: string;
}

/** Settle a proposal after its voting period and execution delay; runs its call when approved. */
export async function evaluate(
  client: AsixClient,
  proposalId: number,
  options?: WriteOptions,
): Promise<EvaluateResult> {
  const id = requireProposalId(proposalId);
  const budget = writeBudget(options, "governance.evaluate");
  const { chain, signer, contracts } = ethSigner(client, "governance.evaluate");
  const receipt = await send({ action: "evaluate" }, signer, () => contracts.governance.evaluateProposalOutcome(id), budget);
  const event = findEvent(receipt, contracts.governance.interface, chain.addresses.governance, "ProposalOutcomeEvaluated");
  const outcome = OUTCOMES[Number(event.args.outcome)];
  let executionError: string | undefined;
  if (outcome === "ApprovedExecutionFailed") {
    // the proposal's call reverted: say why, as for any other revert
    const executed = findEvent(receipt, contracts.governance.interface, chain.addresses.governance, "ProposalTransactionExecuted");
    const returnData = executed.args.returnData as string;
    const decoded = returnData.length >= 10 ? ETH_CONTRACT_ERRORS.parseError(returnData) : null;
    executionError = decoded ? describeRevert(decoded, { action: "proposal" }) : `reverted (${returnData})`;
  }
  return {
    ...txResult(receipt),
    proposalId: id,
    outcome,
    voteMagnitudeYes: event.args.voteMagnitudeYes as bigint,
    voteMagnitudeNo: event.args.voteMagnitudeNo as bigint,
    numVotes: Number(event.args.numVotes),
    ...(executionError === undefined ? {} : { executionError }),
  };
}

function requireProposalId(value: unknown): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id < 1) throw new AsixError("INVALID_INPUT", `proposal id must be a positive integer, got ${JSON.stringify(value)}`);
  return id;
}

/** One proposal, with its name and description (from its ProposalSubmitted event). */
export async function getProposal(client: AsixClient, proposalId: number): Promise<Proposal> {
  const id = requireProposalId(proposalId);
  const all = await loadProposals(client, [id]);
  return all[0];
}

/** Every proposal, oldest first. */
export async function listProposals(client: AsixClient): Promise<Proposal[]> {
  const last = await call({ action: "listProposals" }, () => ethChain(client).read.governance.lastProposalId());
  return loadProposals(client, Array.from({ length: Number(last) }, (_, i) => i + 1));
}

async function loadProposals(client: AsixClient, ids: number[]): Promise<Proposal[]> {
  const governance = ethChain(client).read.governance;
  return call({ action: "getProposal" }, async () => {
    const [submitted, proposals] = await Promise.all([
      governance.queryFilter(governance.filters.ProposalSubmitted(), 0),
      Promise.all(ids.map((id) => governance.getProposalById(id))),
    ]);
    const texts = new Map(submitted.map((e) => [Number(e.args.proposalId), { name: e.args.name, description: e.args.description }]));
    return proposals.map((p, i) => {
      const submission = Number(p.submissionBlockNumber);
      return {
        proposalId: ids[i],
        proposer: p.proposer,
        name: texts.get(ids[i])?.name ?? "",
        description: texts.get(ids[i])?.description ?? "",
        target: bytes32Text(p.targetContractRegistryKey),
        targetContractAddress: p.targetContractAddress,
        functionSignature: p.functionSignature,
        callData: p.callData,
        callValue: p.callValue,
        outcome: OUTCOMES[Number(p.outcome)],
        voteMagnitudeYes: p.voteMagnitudeYes,
        voteMagnitudeNo: p.voteMagnitudeNo,
        numVotes: Number(p.numVotes),
        submissionBlockNumber: submission,
        // each proposal keeps the timings it was submitted with
        votingEndBlock: submission + Number(p.votingPeriod),
        earliestEvaluationBlock: submission + Number(p.votingPeriod) + Number(p.executionDelay),
      };
    });
  });
}
