import { signDelegateStakeFor, signStakingPermit } from "./protocol";
import type { AsixClient } from "../client";
import { call, ethSigner, findEvent, requireAddress, requireAmount, send, txResult, within, writeBudget, type TransactionResult, type WriteOptions } from "./contracts";
import { relayEthCall, wantsGasless, type GaslessOptions } from "./gasless";

/**
 * Delegate to a service provider, in one transaction (permit). With `{ gasless: true }` the wallet
 * only signs, and the identity service's eth relay sends the transaction and pays its gas.
 */
export async function delegate(
  client: AsixClient,
  serviceProvider: string,
  amount: bigint,
  options?: GaslessOptions,
): Promise<
  TransactionResult & {
    /** the service provider delegated to (checksummed) */
    serviceProvider: string;
    /** the amount delegated by this call, in wei */
    amount: bigint;
    /** the wallet's whole delegation to that provider afterwards, in wei */
    delegatedAmount: bigint;
  }
> {
  const sp = requireAddress(serviceProvider, "service provider");
  requireAmount(amount);
  const gasless = wantsGasless(client, options, "staking.delegate");
  const budget = writeBudget(options, "staking.delegate");
  const { chain, signer, contracts } = ethSigner(client, "staking.delegate");
  let receipt;
  if (gasless) {
    const signed = await within(budget, "delegate", call({ action: "delegate" }, () => signDelegateStakeFor(signer, chain.addresses, sp, amount)));
    receipt = await relayEthCall(client, chain, "staking.delegate", "DelegateManager", await signer.getAddress(), signed, budget);
  } else {
    receipt = await send(
      { action: "delegate" },
      signer,
      async () => contracts.delegateManager.delegateStakeWithPermit(sp, amount, await signStakingPermit(signer, chain.addresses, amount)),
      budget,
    );
  }
  const delegatedAmount = await within(
    budget,
    "delegate",
    contracts.delegateManager.getDelegatorStakeForServiceProvider(await signer.getAddress(), sp, { blockTag: receipt.blockNumber }),
  );
  return { ...txResult(receipt), serviceProvider: sp, amount, delegatedAmount };
}

/** Ask to withdraw part of a delegation; undelegate carries it out after the lockup. */
export async function requestUndelegate(
  client: AsixClient,
  serviceProvider: string,
  amount: bigint,
  options?: WriteOptions,
): Promise<
  TransactionResult & {
    /** the service provider to undelegate from (checksummed) */
    serviceProvider: string;
    /** the amount asked back, in wei */
    amount: bigint;
    /** the first block at which undelegate can carry it out */
    lockupExpiryBlock: number;
  }
> {
  const sp = requireAddress(serviceProvider, "service provider");
  requireAmount(amount);
  const budget = writeBudget(options, "staking.requestUndelegate");
  const { chain, signer, contracts } = ethSigner(client, "staking.requestUndelegate");
  const receipt = await send({ action: "requestUndelegate" }, signer, () => contracts.delegateManager.requestUndelegateStake(sp, amount), budget);
  const event = findEvent(receipt, contracts.delegateManager.interface, chain.addresses.delegateManager, "UndelegateStakeRequested");
  return { ...txResult(receipt), serviceProvider: sp, amount, lockupExpiryBlock: Number(event.args.lockupExpiryBlock) };
}

/** Carry out the pending undelegation once its lockup has ended; the tokens return to the wallet. */
export async function undelegate(client: AsixClient, options?: WriteOptions): Promise<
  TransactionResult & {
    /** the service provider it was undelegated from */
    serviceProvider: string;
    /** the amount returned to the wallet, in wei */
    amount: bigint;
  }
> {
  const budget = writeBudget(options, "staking.undelegate");
  const { chain, signer, contracts } = ethSigner(client, "staking.undelegate");
  const receipt = await send({ action: "undelegate" }, signer, () => contracts.delegateManager.undelegateStake(), budget);
  const event = findEvent(receipt, contracts.delegateManager.interface, chain.addresses.delegateManager, "UndelegateStakeRequestEvaluated");
  return { ...txResult(receipt), serviceProvider: event.args.serviceProvider as string, amount: event.args.amount as bigint };
}

/** Cancel the wallet's pending undelegation. */
export async function cancelUndelegate(client: AsixClient, options?: WriteOptions): Promise<
  TransactionResult & {
    /** the service provider of the cancelled request */
    serviceProvider: string;
    /** the amount that stays delegated, in wei */
    amount: bigint;
  }
> {
  const budget = writeBudget(options, "staking.cancelUndelegate");
  const { chain, signer, contracts } = ethSigner(client, "staking.cancelUndelegate");
  const receipt = await send({ action: "cancelUndelegate" }, signer, () => contracts.delegateManager.cancelUndelegateStakeRequest(), budget);
  const event = findEvent(receipt, contracts.delegateManager.interface, chain.addresses.delegateManager, "UndelegateStakeRequestCancelled");
  return { ...txResult(receipt), serviceProvider: event.args.serviceProvider as string, amount: event.args.amount as bigint };
}
