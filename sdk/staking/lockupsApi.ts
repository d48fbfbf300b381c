/** The lockup flows of `asix.staking` (part of StakingApi, see ./api.ts). */
import type { TransactionResult, WriteOptions } from "./contracts";

/**
 * Stake decreases, undelegations and deployer-cut changes take effect only after a lockup (in
 * blocks, see getParameters): each has a request, its carrying-out after the lockup, and a cancel.
 */
export interface StakingLockupsApi {
  /**
   * Ask to withdraw part of the wallet's own stake; decreaseStake carries it out after the lockup.
   *
   * @param amount - wei, positive.
   * @param options - `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write; a transaction already sent is not recalled.
   * @returns The transaction and the block the lockup ends.
   * @throws {AsixError} INVALID_INPUT when the amount is invalid or there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when the stake left would fall below the minimum, or a request is already pending.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * const { lockupExpiryBlock } = await asix.staking.requestDecreaseStake(parseAudio("500"));
   * ```
   */
  requestDecreaseStake(amount: bigint, options?: WriteOptions): Promise<
    TransactionResult & {
      /** the AUDIO to withdraw, wei */
      amount: bigint;
      /** the first block at which decreaseStake succeeds */
      lockupExpiryBlock: number;
    }
  >;
  /**
   * Withdraw the requested stake once its lockup has ended; the tokens return to the wallet.
   *
   * @param options - `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write; a transaction already sent is not recalled.
   * @returns The transaction, the amount withdrawn and the stake left.
   * @throws {AsixError} INVALID_INPUT when there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when nothing is pending or the lockup has not ended.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * const { newStakeAmount } = await asix.staking.decreaseStake();
   * ```
   */
  decreaseStake(options?: WriteOptions): Promise<
    TransactionResult & {
      /** the AUDIO withdrawn to the wallet, wei */
      amount: bigint;
      /** the own stake left, wei */
      newStakeAmount: bigint;
    }
  >;
  /**
   * Cancel the pending stake decrease.
   *
   * @param options - `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write; a transaction already sent is not recalled.
   * @returns The transaction and the amount that stays staked.
   * @throws {AsixError} INVALID_INPUT when there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when nothing is pending.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * await asix.staking.cancelDecreaseStake();
   * ```
   */
  cancelDecreaseStake(options?: WriteOptions): Promise<
    TransactionResult & {
      /** the AUDIO that stays staked, wei */
      amount: bigint;
    }
  >;
  /**
   * Ask to withdraw part of a delegation; undelegate carries it out after the lockup.
   *
   * @param serviceProvider - the operator's address.
   * @param amount - wei, at most what is delegated.
   * @param options - `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write; a transaction already sent is not recalled.
   * @returns The transaction and the block the lockup ends.
   * @throws {AsixError} INVALID_INPUT when the address or amount is invalid, or there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when the amount is more than delegated, or a request is already pending.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * await asix.staking.requestUndelegate(operator, parseAudio("50"));
   * ```
   */
  requestUndelegate(serviceProvider: string, amount: bigint, options?: WriteOptions): Promise<
    TransactionResult & {
      /** the operator */
      serviceProvider: string;
      /** the AUDIO to withdraw, wei */
      amount: bigint;
      /** the first block at which undelegate succeeds */
      lockupExpiryBlock: number;
    }
  >;
  /**
   * Carry out the pending undelegation once its lockup has ended; the tokens return to the wallet.
   *
   * @param options - `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write; a transaction already sent is not recalled.
   * @returns The transaction, the operator and the amount returned.
   * @throws {AsixError} INVALID_INPUT when there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when nothing is pending or the lockup has not ended.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * await asix.staking.undelegate();
   * ```
   */
  undelegate(options?: WriteOptions): Promise<
    TransactionResult & {
      /** the operator undelegated from */
      serviceProvider: string;
      /** the AUDIO returned to the wallet, wei */
      amount: bigint;
    }
  >;
  /**
   * Cancel the pending undelegation.
   *
   * @param options - `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write; a transaction already sent is not recalled.
   * @returns The transaction, the operator and the amount that stays delegated.
   * @throws {AsixError} INVALID_INPUT when there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when nothing is pending.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * await asix.staking.cancelUndelegate();
   * ```
   */
  cancelUndelegate(options?: WriteOptions): Promise<
    TransactionResult & {
      /** the operator */
      serviceProvider: string;
      /** the AUDIO that stays delegated, wei */
      amount: bigint;
    }
  >;
  /**
   * Ask to change the wallet's deployer cut (the percent of its delegators' rewards it keeps);
   * updateDeployerCut applies it after the lockup.
   *
   * @param cut - a whole percent, 0..100.
   * @param options - `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write; a transaction already sent is not recalled.
   * @returns The transaction, the cut and the block the lockup ends.
   * @throws {AsixError} INVALID_INPUT when the cut is not a whole percent or there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when the wallet is not a service provider or a request is pending.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * await asix.staking.requestUpdateDeployerCut(10);
   * ```
   */
  requestUpdateDeployerCut(cut: number, options?: WriteOptions): Promise<
    TransactionResult & {
      /** the requested cut, percent */
      cut: number;
      /** the first block at which updateDeployerCut succeeds */
      lockupExpiryBlock: number;
    }
  >;
  /**
   * Apply the requested deployer cut once its lockup has ended.
   *
   * @param options - `signal` (ABORTED) and `timeoutMs` (TIMEOUT), which bound the whole write; a transaction already sent is not recalled.
   * @returns The transaction and the cut now in force.
   * @throws {AsixError} INVALID_INPUT when there is no wallet.
   * @throws {AsixError} CHAIN_REVERTED when nothing is pending or the lockup has not ended.
   * @throws {AsixError} NODE_UNAVAILABLE when the eth chain cannot be reached.
   * @throws {AsixError} ABORTED when `signal` aborts it (a transaction already sent may still be mined).
   * @throws {AsixError} TIMEOUT when `timeoutMs` passes before the receipt is in.
   * @example
   * ```ts
   * const { cut } = await asix.staking.updateDeployerCut();
   * ```
   */
  updateDeployerCut(options?: WriteOptions): Promise<
    TransactionResult & {
      /** the cut now in force, percent */
      cut: number;
    }
  >;
}
