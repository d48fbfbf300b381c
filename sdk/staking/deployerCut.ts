import { AsixError } from "../errors";
import type { AsixClient } from "../client";
import { ethSigner, findEvent, send, txResult, writeBudget, type TransactionResult, type WriteOptions } from "./contracts";

/** Ask to change the wallet's deployer cut (percent, 0..100, of its delegators' rewards) after the lockup. */
export async function requestUpdateDeployerCut(client: AsixClient, cut: number, options?: WriteOptions): Promise<
  TransactionResult & {
    /** the requested deployer cut, percent */
    cut: number;
    /** the first block at which updateDeployerCut can apply it */
    lockupExpiryBlock: number;
  }
> {
  if (!Number.isInteger(cut) || cut < 0 || cut > 100) throw new AsixError("INVALID_INPUT", `the deployer cut is a whole percent 0..100, got ${cut}`);
  const budget = writeBudget(options, "staking.requestUpdateDeployerCut");
  const { chain, signer, contracts } = ethSigner(client, "staking.requestUpdateDeployerCut");
  const receipt = await send({ action: "requestUpdateDeployerCut" }, signer, () => contracts.factory.requestUpdateDeployerCut(cut), budget);
  const event = findEvent(receipt, contracts.factory.interface, chain.addresses.serviceProviderFactory, "DeployerCutUpdateRequested");
  return { ...txResult(receipt), cut, lockupExpiryBlock: Number(event.args.lockupExpiryBlock) };
}

/** Apply the requested deployer cut once its lockup has ended. */
export async function updateDeployerCut(client: AsixClient, options?: WriteOptions): Promise<
  TransactionResult & {
    /** the deployer cut now in force, percent */
    cut: number;
  }
> {
  const budget = writeBudget(options, "staking.updateDeployerCut");
  const { chain, signer, contracts } = ethSigner(client, "staking.updateDeployerCut");
  const receipt = await send({ action: "updateDeployerCut" }, signer, () => contracts.factory.updateDeployerCut(), budget);
  const event = findEvent(receipt, contracts.factory.interface, chain.addresses.serviceProviderFactory, "ServiceProviderCutUpdated");
  return { ...txResult(receipt), cut: Number(event.args.updatedCut) };
}
