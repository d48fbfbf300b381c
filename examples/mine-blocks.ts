// Walking a devnet's eth chain forward (lockups, funding rounds, voting periods), as `asix devnet mine` does.
import { JsonRpcProvider, toQuantity } from "ethers";
import type { DevnetState } from "../devnet/state";

/** Mine empty blocks until the eth chain's head is at least `block`; returns the new head. */
export async function mineEthChainTo(devnet: DevnetState, block: number): Promise<number> {
  const provider = new JsonRpcProvider(devnet.ethChain.url, devnet.ethChain.chainId, { staticNetwork: true });
  try {
    const head = await provider.getBlockNumber();
    if (block > head) await provider.send("hardhat_mine", [toQuantity(block - head)]);
    return Math.max(head, block);
  } finally {
    provider.destroy();
  }
}
