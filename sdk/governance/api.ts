/** The declared type of `asix.governance` (see ./index.ts for its binding to the plain functions). */
import type { TransactionResult, WriteOptions } from "../staking/contracts";
import type { EvaluateResult, Proposal, ProposeParameters, VoteChoice } from "./proposals";

/**
 * Governance of the eth-chain contracts: stakers propose calls to registered contracts, vote
 * weighted by stake, and anyone evaluates after the voting period and execution delay. Every
 * method throws AsixError INVALID_INPUT when network.ethChain is missing, and NODE_UNAVAILABLE
 * when the eth chain cannot be reached.
 */
export interface GovernanceApi {
  /**
   * Propose a call to a registered contract (a parameter change, say). The wallet must have had
   * active stake of its own in the previous block.
   *
   * @param params - `target` (Registry key such as "ClaimsManager"), `functionSignature`, `args` or ABI-encoded `callData`, `name`, `description`; also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns The transaction and the new proposal's id.
   * @throws {AsixError} INVALID_INPUT when the target, signature, arguments or name is invalid, or there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when the wallet has no active stake, the target is not registered, or the call carries ether.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * const { proposalId } = await asix.governance.propose({
   *   target: "ClaimsManager",
   *   functionSignature: "updateFundingAmount(uint256)",
   *   args: [parseAudio("20000")],
   *   name: "Raise round funding",
   *   description: "More rewards per round",
   * });
   * ```
   */
  propose(params: ProposeParameters): Promise<
    TransactionResult & {
      /** the new proposal's id */
      proposalId: number;
    }
  >;
  /**
   * Vote "Yes" or "No", weighted by the wallet's own active stake (operator stake plus
   * delegations) at the block before the proposal's.
   *
   * @param proposalId - the proposal.
   * @param choice - "Yes" or "No".
   * @param options - `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write; a transaction already sent is not recalled.
   * @returns The transaction and the weight of the vote.
   * @throws {AsixError} INVALID_INPUT when the id or choice is invalid, or there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when there is no such proposal, voting has ended, the wallet has already voted or has no stake.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * const { voteMagnitude } = await asix.governance.vote(proposalId, "Yes");
   * ```
   */
  vote(proposalId: number, choice: VoteChoice, options?: WriteOptions): Promise<
    TransactionResult & {
      /** the proposal voted on */
      proposalId: number;
      /** the vote cast */
      vote: VoteChoice;
      /** the vote's weight: the wallet's active stake, wei */
      voteMagnitude: bigint;
    }
  >;
  /**
   * Settle a proposal after its voting period and execution delay; runs its call when approved.
   *
   * @param proposalId - the proposal.
   * @param options - `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write; a transaction already sent is not recalled.
   * @returns The outcome, the vote totals and, when the approved call failed, why.
   * @throws {AsixError} INVALID_INPUT when the id is invalid or there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when there is no such proposal, it is already settled, or its evaluation block has not come yet.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * const { outcome } = await asix.governance.evaluate(proposalId); // "ApprovedExecuted"
   * ```
   */
  evaluate(proposalId: number, options?: WriteOptions): Promise<EvaluateResult>;
  /**
   * One proposal with its votes, timings and outcome.
   *
   * @param proposalId - the proposal.
   * @returns The proposal.
   * @throws {AsixError} INVALID_INPUT when the id is not a positive integer.
   * @throws {AsixError} CHAIN_REVERTED when there is no such proposal (ProposalNotFound).
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @example
   * ```ts
   * const { earliestEvaluationBlock } = await asix.governance.get(proposalId);
   * ```
   */
  get(proposalId: number): Promise<Proposal>;
  /**
   * Every proposal, oldest first.
   *
   * @returns The proposals.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @example
   * ```ts
   * const open = (await asix.governance.list()).filter((p) => p.outcome === "InProgress");
   * ```
   */
  list(): Promise<Proposal[]>;
}
