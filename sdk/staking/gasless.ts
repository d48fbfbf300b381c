import type { TransactionReceipt } from "ethers";
import { requireIdentityUrl, type AsixClient } from "../client";
import { AsixError } from "../errors";
import { requestJson } from "../http";
import { within, type EthChain, type WriteOptions } from "./contracts";
import type { CallBudget } from "../callBudget";
import type { SignedStakingCall } from "./protocol";

/** Options of the staking writes that a wallet without ETH can make through the eth relay. */
export interface GaslessOptions extends WriteOptions {
  /**
   * Sign a permit and the action, and have the identity service's eth relay (POST /eth_relay) send
   * it and pay the gas: for a wallet that holds AUDIO but no ETH. Counts against the wallet's
   * daily relay limit. Needs network.identityUrl. Default false (the wallet sends and pays).
   */
  gasless?: boolean;
}

/**
 * Check the options argument of a gasless-capable write; true when the relay should send it (and
 * then the client must know the identity service, checked before anything is signed).
 */
export function wantsGasless(client: AsixClient, options: unknown, action: string): boolean {
  if (options === undefined) return false;
  if (typeof options !== "object" || options === null) throw new AsixError("INVALID_INPUT", `${action}: options must be an object like { gasless: true }`);
  const gasless = (options as GaslessOptions).gasless;
  if (gasless !== undefined && typeof gasless !== "boolean") throw new AsixError("INVALID_INPUT", `${action}: options.gasless must be a boolean`);
  if (gasless === true) requireIdentityUrl(client, action);
  return gasless === true;
}

/** The registry key the eth relay whitelists each signed call under. */
export type EthRelayContractKey = "DelegateManager" | "ServiceProviderFactory";

/**
 * POST a signed call to the identity service's eth relay and wait for its receipt on the eth chain.
 * Refusals come back as the service's AsixError (UNAUTHORIZED, CONFLICT on a replay, RATE_LIMITED,
 * CHAIN_REVERTED when the contract would revert, ...).
 */
export async function relayEthCall(
  client: AsixClient,
  chain: EthChain,
  action: string,
  contractRegistryKey: EthRelayContractKey,
  sender: string,
  call: SignedStakingCall,
  budget: CallBudget,
): Promise<TransactionReceipt> {
  const identityUrl = requireIdentityUrl(client, action);
  const answer = await requestJson<{ receipt?: { transactionHash?: string } }>(
    client,
    {
      method: "POST",
      url: `${identityUrl}/eth_relay`,
      json: { contractRegistryKey, contractAddress: call.to, encodedABI: call.data, senderAddress: sender, gasLimit: 0 },
      ...budget.next(),
    },
    action,
  );
  const hash = answer?.receipt?.transactionHash;
  if (typeof hash !== "string") throw new AsixError("INTERNAL", `${action}: the eth relay answered without a transaction hash`);
  const receipt = await within(budget, action, chain.provider.waitForTransaction(hash, 1, client.indexTimeoutMs));
  if (!receipt) throw new AsixError("TIMEOUT", `${action}: relayed transaction ${hash} has no receipt yet`);
  if (receipt.status !== 1) throw new AsixError("CHAIN_REVERTED", `${action}: relayed transaction ${hash} reverted`, { details: { transactionHash: hash } });
  return receipt;
}
