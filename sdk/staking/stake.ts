import { signIncreaseStakeFor, signStakingPermit } from "./protocol";
import type { AsixClient } from "../client";
import { call, ethSigner, findEvent, requireAmount, send, txResult, within, writeBudget, type TransactionResult, type WriteOptions } from "./contracts";
import { relayEthCall, wantsGasless, type GaslessOptions } from "./gasless";

/**
 * Add to the wallet's own stake, in one transaction (permit). With `{ gasless: true }` the wallet
 * only signs, and the identity service's eth relay sends the transaction and pays its gas.
 */
export async function increaseStake(
  client: AsixClient,
  amount: bigint,
  options?: GaslessOptions,
): Promise<
  TransactionResult & {
    /** the stake added, in wei */
    amount: bigint;
    /** the wallet's deployer stake afterwards, in wei */
    newStakeAmount: bigint;
  }
> {
  requireAmount(amount);
  const gasless = wantsGasless(client, options, "staking.increaseStake");
  const budget = writeBudget(options, "staking.increaseStake");
  const { chain, signer, contracts } = ethSigner(client, "staking.increaseStake");
  let receipt;
  if (gasless) {
    const signed = await within(budget, "increaseStake", call({ action: "increaseStake" }, () => signIncreaseStakeFor(signer, chain.addresses, amount)));
    receipt = await relayEthCall(client, chain, "staking.increaseStake", "ServiceProviderFactory", await signer.getAddress(), signed, budget);
  } else {
    receipt = await send(
      { action: "increaseStake" },
      signer,
      async () => contracts.factory.increaseStakeWithPermit(amount, await signStakingPermit(signer, chain.addresses, amount)),
      budget,
    );
  }
  const event = findEvent(receipt, contracts.factory.interface, chain.addresses.serviceProviderFactory, "IncreasedStake");
  return { ...txResult(receipt), amount, newStakeAmount: event.args.newStakeAmount as bigint };
}

/** Ask to withdraw part of the wallet's own stake; decreaseStake carries it out after the lockup. */
export async function requestDecreaseStake(client: AsixClient, amount: bigint, options?: WriteOptions): Promise<
  TransactionResult & {
    /** the decrease asked for, in wei */
    amount: bigint;
    /** the first block at which decreaseStake can carry it out */
    lockupExpiryBlock: number;
  }
> {
  requireAmount(amount);
  const budget = writeBudget(options, "staking.requestDecreaseStake");
  const { chain, signer, contracts } = ethSigner(client, "staking.requestDecreaseStake");
  const receipt = await send({ action: "requestDecreaseStake" }, signer, () => contracts.factory.requestDecreaseStake(amount), budget);
  const event = findEvent(receipt, contracts.factory.interface, chain.addresses.serviceProviderFactory, "DecreaseStakeRequested");
  return { ...txResult(receipt), amount, lockupExpiryBlock: Number(event.args.lockupExpiryBlock) };
}

/** Carry out the pending decrease once its lockup has ended; the tokens return to the wallet. */
export async function decreaseStake(client: AsixClient, options?: WriteOptions): Promise<
  TransactionResult & {
    /** the stake returned to the wallet, in wei */
    amount: bigint;
    /** the wallet's deployer stake afterwards, in wei */
    newStakeAmount: bigint;
  }
> {
  const budget = writeBudget(options, "staking.decreaseStake");
  const { chain, signer, contracts } = ethSigner(client, "staking.decreaseStake");
  const receipt = await send({ action: "decreaseStake" }, signer, () => contracts.factory.decreaseStake(), budget);
  const event = findEvent(receipt, contracts.factory.interface, chain.addresses.serviceProviderFactory, "DecreaseStakeRequestEvaluated");
  return { ...txResult(receipt), amount: event.args.decreaseAmount as bigint, newStakeAmount: event.args.newStakeAmount as bigint };
}

/** Cancel the pending decrease. */
export async function cancelDecreaseStake(client: AsixClient, options?: WriteOptions): Promise<
  TransactionResult & {
    /** the decrease that was cancelled, in wei; that stake stays */
    amount: bigint;
  }
> {
  const budget = writeBudget(options, "staking.cancelDecreaseStake");
  const { chain, signer, contracts } = ethSigner(client, "staking.cancelDecreaseStake");
  const receipt = await send({ action: "cancelDecreaseStake" }, signer, () => contracts.factory.cancelDecreaseStakeRequest(), budget);
  const event = findEvent(receipt, contracts.factory.interface, chain.addresses.serviceProviderFactory, "DecreaseStakeRequestCancelled");
  return { ...txResult(receipt), amount: event.args.decreaseAmount as bigint };
}
