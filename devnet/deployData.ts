import type { Signer } from "ethers";
import { EntityManager__factory } from "../typechain-types";

/** Deploy EntityManager on the data chain from the bytecode TypeChain embeds (no compiler at run time). */
export async function deployEntityManager(deployer: Signer, verifier: string): Promise<{ address: string; block: number }> {
  const contract = await new EntityManager__factory(deployer).deploy(verifier);
  const receipt = await contract.deploymentTransaction()!.wait();
  return { address: await contract.getAddress(), block: receipt!.blockNumber };
}
