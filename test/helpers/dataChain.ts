import { JsonRpcProvider, NonceManager, Wallet } from "ethers";
import { startChain, type Chain } from "../../devnet/chain";
import { startChainInWorker } from "../../devnet/chainThread";
import { devnetPrivateKey, DEVNET_ROLES } from "../../devnet/accounts";
import { deployEntityManager } from "../../devnet/deployData";
import { encodeManageEntityCall, randomNonce, signManageEntity, type ManageEntityMessage } from "../../sdk/eip712";

export const DATA_CHAIN_ID = 1056801;

export interface DataChainFixture {
  chain: Chain;
  provider: JsonRpcProvider;
  entityManagerAddress: string;
  deployBlock: number;
  /** devnet account i as a wallet on the data chain */
  wallet(index: number): Wallet;
  /** sign a ManageEntity message as `signer` and send it from a funded sender; resolves to the receipt */
  manageEntity(
    signer: Wallet,
    message: Omit<ManageEntityMessage, "nonce"> & { nonce?: string },
  ): Promise<{ blockNumber: number; blockHash: string; transactionHash: string }>;
  close(): Promise<void>;
}

/** A real in-process data chain with EntityManager deployed, for service tests. */
export async function startDataChain(opts: { inWorker?: boolean } = {}): Promise<DataChainFixture> {
  // mined like the devnet's data chain: concurrent transactions share a block (and, with inWorker,
  // in a thread of its own like the devnet's)
  const chain = await (opts.inWorker ? startChainInWorker : startChain)({ chainId: DATA_CHAIN_ID, mining: "batched" });
  const provider = new JsonRpcProvider(chain.url, DATA_CHAIN_ID, { staticNetwork: true, cacheTimeout: -1 });
  provider.pollingInterval = 50;
  const wallet = (i: number) => new Wallet(devnetPrivateKey(i), provider);
  const deployer = wallet(DEVNET_ROLES.deployer);
  const verifier = wallet(DEVNET_ROLES.verifier);
  const { address, block } = await deployEntityManager(deployer, verifier.address);
  const sender = new NonceManager(wallet(DEVNET_ROLES.relayers[0]));
  const domain = { chainId: DATA_CHAIN_ID, verifyingContract: address };
  return {
    chain,
    provider,
    entityManagerAddress: address,
    deployBlock: block,
    wallet,
    async manageEntity(signer, partial) {
      const message = { ...partial, nonce: partial.nonce ?? randomNonce() };
      const signature = await signManageEntity(signer, domain, message);
      const tx = await sender.sendTransaction({ to: address, data: encodeManageEntityCall(message, signature) });
      const receipt = (await tx.wait())!;
      return { blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, transactionHash: receipt.hash };
    },
    async close() {
      provider.destroy();
      await chain.close();
    },
  };
}
