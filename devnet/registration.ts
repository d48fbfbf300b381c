import { parseEther, type Wallet } from "ethers";
import { DEVNET_ROLES, discoveryOperatorIndex } from "./accounts";
import { registerServiceProvider, type EthContracts } from "./deployEth";
import type { DevnetState } from "./state";

/** Devnet operators stake this much per node (the content- and discovery-node minimum). */
export const DEVNET_NODE_STAKE = 200_000n * 10n ** 18n;

/** Register the devnet's own nodes on the eth chain with real stake, as operators would (once per network). */
export async function registerDevnetNodes(opts: {
  eth: EthContracts;
  /** eth chain wallet of devnet account i */
  wallet: (i: number) => Wallet;
  contentUrls: string[];
  discoveryUrls: string[];
}): Promise<Pick<DevnetState, "contentNodes" | "discoveryNodes">> {
  const deployer = opts.wallet(DEVNET_ROLES.deployer);
  const register = async (operator: Wallet, serviceType: "content-node" | "discovery-node", endpoint: string) => {
    // Operators past the funded accounts start with no ether on the eth chain.
    if ((await operator.provider!.getBalance(operator.address)) === 0n) {
      await (await deployer.sendTransaction({ to: operator.address, value: parseEther("10") })).wait();
    }
    const spId = await registerServiceProvider({ contracts: opts.eth, deployer, operator, serviceType, endpoint, stake: DEVNET_NODE_STAKE });
    return { endpoint, spId: Number(spId), delegateOwnerWallet: operator.address };
  };
  const contentNodes: DevnetState["contentNodes"] = [];
  for (let i = 0; i < opts.contentUrls.length; i++) {
    contentNodes.push(await register(opts.wallet(DEVNET_ROLES.contentNodes[i]), "content-node", opts.contentUrls[i]));
  }
  const discoveryNodes: DevnetState["discoveryNodes"] = [];
  for (let i = 0; i < opts.discoveryUrls.length; i++) {
    discoveryNodes.push(await register(opts.wallet(discoveryOperatorIndex(i)), "discovery-node", opts.discoveryUrls[i]));
  }
  return { contentNodes, discoveryNodes };
}
