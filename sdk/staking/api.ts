/** The declared type of `asix.staking` (see ./index.ts for its binding to the plain functions). */
import type { GaslessOptions } from "./gasless";
import type { Claimable, Delegation, PendingLockup, PendingUndelegate, ServiceEndpoint, ServiceProvider, ServiceType } from "./reads";
import type { DeregisterParameters, DeregisterResult, RegisterParameters, RegisterResult, UpdateEndpointParameters } from "./serviceProvider";
import type { StakingParameters } from "./parameters";
import type { ClaimRewardsResult } from "./rewards";
import type { TransactionResult, WriteOptions } from "./contracts";
import type { StakingLockupsApi } from "./lockupsApi";

/**
 * $AUDIO, service providers, delegation and rewards on the eth chain. Amounts are bigint wei
 * (`parseAudio("1.5")`). Writes are sent by the client's wallet on network.ethChain and return once
 * their receipt is in.
 *
 * Every method throws AsixError INVALID_INPUT when network.ethChain is missing or incomplete, and
 * NODE_UNAVAILABLE when the eth chain's RPC cannot be reached; writes also throw INVALID_INPUT when
 * the client has no wallet, and CHAIN_REVERTED (naming the contract's custom error in the message
 * and `details`) when the chain refuses the transaction, including when the wallet lacks ETH for gas.
 */
export interface StakingApi extends StakingLockupsApi {
  /**
   * $AUDIO held (not staked) by an address.
   *
   * @param address - 0x address (default: the wallet's).
   * @returns The balance in wei.
   * @throws {AsixError} INVALID_INPUT when the address is invalid, or omitted with no wallet.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @example
   * ```ts
   * console.log(formatAudio(await asix.staking.balanceOf()), "AUDIO");
   * ```
   */
  balanceOf(address?: string): Promise<bigint>;
  /**
   * An operator's stake, deployer cut, stake bounds, nodes and pending requests.
   *
   * @param address - the operator (default: the wallet).
   * @returns The service provider's record.
   * @throws {AsixError} INVALID_INPUT when the address is invalid, or omitted with no wallet.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @example
   * ```ts
   * const sp = await asix.staking.getServiceProvider();
   * console.log(formatAudio(sp.deployerStake), sp.numberOfEndpoints);
   * ```
   */
  getServiceProvider(address?: string): Promise<ServiceProvider>;
  /**
   * Every registered node of a type, with its endpoint, owner, delegate wallet and spId.
   *
   * @param type - "content-node" or "discovery-node".
   * @returns The nodes, by spId.
   * @throws {AsixError} INVALID_INPUT when the type is neither.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @example
   * ```ts
   * const nodes = await asix.staking.listServiceProviders("content-node");
   * ```
   */
  listServiceProviders(type: ServiceType): Promise<ServiceEndpoint[]>;
  /**
   * The operator address behind an address or a node's endpoint URL.
   *
   * @param ref - a 0x address, or the http(s) endpoint of a registered node.
   * @returns The operator's address.
   * @throws {AsixError} INVALID_INPUT when ref is neither an address nor a URL.
   * @throws {AsixError} NOT_FOUND when no node is registered at the URL.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @example
   * ```ts
   * const operator = await asix.staking.resolveServiceProvider("http://127.0.0.1:4101");
   * ```
   */
  resolveServiceProvider(ref: string): Promise<string>;
  /**
   * The delegators of a service provider and how much each delegated.
   *
   * @param serviceProvider - the operator's address.
   * @returns The delegations, in wei.
   * @throws {AsixError} INVALID_INPUT when the address is invalid.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @example
   * ```ts
   * for (const d of await asix.staking.getDelegators(operator)) console.log(d.delegator, formatAudio(d.amount));
   * ```
   */
  getDelegators(serviceProvider: string): Promise<Delegation[]>;
  /**
   * The pending decrease of an operator's own stake, if any.
   *
   * @param address - the operator (default: the wallet).
   * @returns The amount and the block its lockup ends, or null.
   * @throws {AsixError} INVALID_INPUT when the address is invalid, or omitted with no wallet.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @example
   * ```ts
   * const pending = await asix.staking.getPendingDecreaseStake();
   * if (pending?.blocksRemaining === 0) await asix.staking.decreaseStake();
   * ```
   */
  getPendingDecreaseStake(address?: string): Promise<PendingLockup | null>;
  /**
   * The pending undelegation of a delegator, if any.
   *
   * @param address - the delegator (default: the wallet).
   * @returns The service provider, amount and lockup end, or null.
   * @throws {AsixError} INVALID_INPUT when the address is invalid, or omitted with no wallet.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @example
   * ```ts
   * const pending = await asix.staking.getPendingUndelegate();
   * ```
   */
  getPendingUndelegate(address?: string): Promise<PendingUndelegate | null>;
  /**
   * What a service provider can claim in the current funding round.
   *
   * @param serviceProvider - the operator (default: the wallet).
   * @returns The round and whether (and how much) it can claim.
   * @throws {AsixError} INVALID_INPUT when the address is invalid, or omitted with no wallet.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @example
   * ```ts
   * const { pending, amount } = await asix.staking.getClaimable(operator);
   * ```
   */
  getClaimable(serviceProvider?: string): Promise<Claimable>;
  /**
   * Stake bounds, lockups, delegation limits, round funding and governance periods, as set now.
   *
   * @returns The current parameters.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @example
   * ```ts
   * const { undelegateLockup } = await asix.staking.getParameters(); // blocks
   * ```
   */
  getParameters(): Promise<StakingParameters>;
  /**
   * Register a node and stake behind it, in one transaction (an EIP-2612 permit moves the tokens).
   *
   * @param params - `type`, `endpoint` (unique http(s) URL), `stake` (wei; 0 when the stake already covers it), optional `delegateOwnerWallet`; also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns The node's spId and the transaction.
   * @throws {AsixError} INVALID_INPUT when the type, endpoint, stake or wallet address is invalid, or there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when the endpoint is taken, the stake is outside the type's bounds, or the wallet lacks AUDIO or ETH.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * const { spId } = await asix.staking.register({ type: "content-node", endpoint: "https://cn1.example.com", stake: parseAudio("200000") });
   * ```
   */
  register(params: RegisterParameters): Promise<RegisterResult>;
  /**
   * Deregister a node; deregistering the last one queues the whole own stake for decreaseStake.
   *
   * @param params - the node's `type` and `endpoint`; also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns The spId and the stake queued for withdrawal.
   * @throws {AsixError} INVALID_INPUT when the type or endpoint is invalid, or there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when the wallet does not own a node there, or the remaining stake would fall outside the bounds.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * await asix.staking.deregister({ type: "content-node", endpoint: "https://cn1.example.com" });
   * ```
   */
  deregister(params: DeregisterParameters): Promise<DeregisterResult>;
  /**
   * Add to the wallet's own stake in one transaction; with `{ gasless: true }` the wallet only
   * signs and the identity service's eth relay sends it and pays the gas.
   *
   * @param amount - wei, positive.
   * @param options - `{ gasless: true }` to have the relay pay; also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns The transaction and the new total own stake.
   * @throws {AsixError} INVALID_INPUT when the amount or options are invalid, there is no wallet, or gasless without network.identityUrl.
   * @throws {AsixError} CHAIN_REVERTED when the stake would exceed the maximum, the wallet has no node, or lacks AUDIO or ETH.
   * @throws {AsixError} RATE_LIMITED when gasless and the wallet has used its daily relay allowance.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain or the relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * await asix.staking.increaseStake(parseAudio("1000"), { gasless: true });
   * ```
   */
  increaseStake(amount: bigint, options?: GaslessOptions): Promise<
    TransactionResult & {
      /** the AUDIO added, wei */
      amount: bigint;
      /** the wallet's own stake now, wei */
      newStakeAmount: bigint;
    }
  >;
  /**
   * Move one of the wallet's nodes to a new endpoint.
   *
   * @param params - the node's `type`, its `oldEndpoint` and the `newEndpoint`; also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns The transaction and the node's spId.
   * @throws {AsixError} INVALID_INPUT when the type or a URL is invalid, or there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when the wallet owns no node at the old endpoint or the new one is taken.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * await asix.staking.updateEndpoint({ type: "content-node", oldEndpoint: "https://cn1.example.com", newEndpoint: "https://cn1.example.org" });
   * ```
   */
  updateEndpoint(params: UpdateEndpointParameters): Promise<
    TransactionResult & {
      /** the node's id, unchanged */
      spId: number;
    }
  >;
  /**
   * Delegate to a service provider in one transaction (permit); with `{ gasless: true }` the
   * identity service's eth relay sends it and pays the gas.
   *
   * @param serviceProvider - the operator's address.
   * @param amount - wei, at least the minimum delegation.
   * @param options - `{ gasless: true }` to have the relay pay; also `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write.
   * @returns The transaction and the wallet's total delegation to this operator.
   * @throws {AsixError} INVALID_INPUT when the address, amount or options are invalid, there is no wallet, or gasless without network.identityUrl.
   * @throws {AsixError} CHAIN_REVERTED when the amount is under the minimum, the operator has too many delegators or is not registered, or the wallet lacks AUDIO or ETH.
   * @throws {AsixError} RATE_LIMITED when gasless and the wallet has used its daily relay allowance.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain or the relay cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * const { delegatedAmount } = await asix.staking.delegate(operator, parseAudio("100"));
   * ```
   */
  delegate(serviceProvider: string, amount: bigint, options?: GaslessOptions): Promise<
    TransactionResult & {
      /** the operator delegated to */
      serviceProvider: string;
      /** the AUDIO added by this call, wei */
      amount: bigint;
      /** the wallet's whole delegation to the operator now, wei */
      delegatedAmount: bigint;
    }
  >;
  /**
   * Claim a service provider's reward for the current round, split between it and its
   * delegators; anyone may send the claim.
   *
   * @param serviceProvider - the operator (default: the wallet).
   * @param options - `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write; a transaction already sent is not recalled.
   * @returns The round, the whole reward and each side's share, in wei.
   * @throws {AsixError} INVALID_INPUT when the address is invalid, or omitted with no wallet.
   * @throws {AsixError} CHAIN_REVERTED when no round is active or the operator has already claimed it.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * await asix.staking.initiateRound();
   * const { rewards, delegatorsReward } = await asix.staking.claimRewards(operator);
   * ```
   */
  claimRewards(serviceProvider?: string, options?: WriteOptions): Promise<ClaimRewardsResult>;
  /**
   * Start the next funding round; anyone may, once per round interval.
   *
   * @param options - `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write; a transaction already sent is not recalled.
   * @returns The transaction, the round number and the amount it funds.
   * @throws {AsixError} INVALID_INPUT when there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when the previous round started too recently.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * const { round, fundedAmount } = await asix.staking.initiateRound();
   * ```
   */
  initiateRound(options?: WriteOptions): Promise<
    TransactionResult & {
      /** the new round's number */
      round: number;
      /** the AUDIO the round pays out, wei */
      fundedAmount: bigint;
    }
  >;
  /**
   * Send $AUDIO from the wallet.
   *
   * @param to - the recipient's address.
   * @param amount - wei, positive.
   * @param options - `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write; a transaction already sent is not recalled.
   * @returns The transaction, sender, recipient and amount.
   * @throws {AsixError} INVALID_INPUT when the address or amount is invalid, or there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when the wallet holds too little AUDIO or ETH.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * await asix.staking.transfer(friend, parseAudio("25"));
   * ```
   */
  transfer(to: string, amount: bigint, options?: WriteOptions): Promise<
    TransactionResult & {
      /** the sender (the wallet) */
      from: string;
      /** the recipient */
      to: string;
      /** the AUDIO sent, wei */
      amount: bigint;
    }
  >;
}
