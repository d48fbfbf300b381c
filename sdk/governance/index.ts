/**
 * Governance of the eth-chain contracts: stakers propose calls to registered contracts (parameter
 * changes), vote weighted by stake, and anyone evaluates after the voting period and delay.
 */
import type { AsixClient } from "../client";
import type { GovernanceApi } from "./api";
import { evaluate, getProposal, listProposals, propose, vote, type ProposeParameters, type VoteChoice } from "./proposals";
import type { WriteOptions } from "../staking/contracts";

/** Bind the governance functions to a client: what `asix.governance` is. */
export function createGovernanceApi(client: AsixClient): GovernanceApi {
  return {
    /** Propose a call (target Registry key, function signature, callData or args, name, description). */
    propose: (params: ProposeParameters) => propose(client, params),
    /** Vote "Yes" or "No", weighted by the wallet's stake at the proposal's block. */
    vote: (proposalId: number, choice: VoteChoice, options?: WriteOptions) => vote(client, proposalId, choice, options),
    /** Settle a proposal after the voting period plus the execution delay. */
    evaluate: (proposalId: number, options?: WriteOptions) => evaluate(client, proposalId, options),
    /** One proposal with its votes and outcome. */
    get: (proposalId: number) => getProposal(client, proposalId),
    /** Every proposal, oldest first. */
    list: () => listProposals(client),
  };
}

export type { GovernanceApi } from "./api";

export * from "./proposals";
