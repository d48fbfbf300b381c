import { JsonRpcProvider, Wallet, parseEther } from "ethers";
import { createAsix, parseAudio } from "../../sdk";
import { DEVNET_ROLES } from "../accounts";
import type { DevnetState } from "../state";
import type { SeedPlan } from "./plan";

/** The seed's stakers: one more node operator, and a delegator staking on it. */
export interface SeededStaking {
  /** the operator's address */
  operator: string;
  /** its discovery node's service provider id */
  spId: number;
  /** its discovery node's registered endpoint (an `.invalid` host: staked, listed as down) */
  endpoint: string;
  /** the operator's stake, wei */
  stake: string;
  /** the delegator's address */
  delegator: string;
  /** delegated to the operator, wei */
  delegated: string;
}

export const SEED_OPERATOR_STAKE = parseAudio("200000");
export const SEED_DELEGATION = parseAudio("5000");

/**
 * Register an extra node operator with real stake and delegate to it, through the SDK. The node is
 * a discovery node at an endpoint that never answers (`.invalid`): a registered content node would
 * be given copies of blobs, a discovery node is only listed, so explorers and `status` show an
 * operator that is staked but down, as real networks have. The operator pays its own gas (funded
 * by the deployer); the delegator holds no ETH and delegates through the eth relay.
 */
export async function seedStaking(devnet: DevnetState, plan: SeedPlan): Promise<SeededStaking> {
  const treasuryKey = devnet.accounts[DEVNET_ROLES.deployer].privateKey;
  const treasury = createAsix({ network: devnet, wallet: treasuryKey });
  const operatorWallet = new Wallet(plan.operatorKey);
  const delegatorWallet = new Wallet(plan.delegatorKey);
  const provider = new JsonRpcProvider(devnet.ethChain.url, devnet.ethChain.chainId, { staticNetwork: true });
  try {
    const gas = await new Wallet(treasuryKey, provider).sendTransaction({ to: operatorWallet.address, value: parseEther("10") });
    await gas.wait();
  } finally {
    provider.destroy();
  }
  await treasury.staking.transfer(operatorWallet.address, SEED_OPERATOR_STAKE);
  await treasury.staking.transfer(delegatorWallet.address, SEED_DELEGATION);

  const operator = createAsix({ network: devnet, wallet: plan.operatorKey });
  const endpoint = `https://seed-${plan.seedValue}-operator.devnet.invalid`;
  const { spId } = await operator.staking.register({ type: "discovery-node", endpoint, stake: SEED_OPERATOR_STAKE });
  const delegator = createAsix({ network: devnet, wallet: plan.delegatorKey });
  const { delegatedAmount } = await delegator.staking.delegate(operatorWallet.address, SEED_DELEGATION, { gasless: true });
  return {
    operator: operatorWallet.address,
    spId,
    endpoint,
    stake: String(SEED_OPERATOR_STAKE),
    delegator: delegatorWallet.address,
    delegated: String(delegatedAmount),
  };
}
