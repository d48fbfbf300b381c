import { expect } from "chai";
import { JsonRpcProvider, Wallet, ZeroAddress } from "ethers";
import { DEVNET_ROLES, devnetPrivateKey } from "../../devnet/accounts";
import { startChain, type Chain } from "../../devnet/chain";
import { deployEntityManager } from "../../devnet/deployData";
import { EntityManager__factory } from "../../typechain-types";
import { DATA_CHAIN_ID } from "../helpers/dataChain";

describe("EntityManager deployment (contracts/EntityManager.sol)", () => {
  let chain: Chain;
  let provider: JsonRpcProvider;
  before(async () => {
    chain = await startChain({ chainId: DATA_CHAIN_ID });
    provider = new JsonRpcProvider(chain.url, DATA_CHAIN_ID, { staticNetwork: true, cacheTimeout: -1 });
  });
  after(async () => {
    provider?.destroy();
    await chain?.close();
  });

  it("refuses to deploy without a verifier, as nobody could then verify users", async () => {
    const deployer = new Wallet(devnetPrivateKey(DEVNET_ROLES.deployer), provider);
    const iface = EntityManager__factory.createInterface();
    let data: string | undefined;
    try {
      await deployEntityManager(deployer, ZeroAddress);
    } catch (e) {
      data = (e as { data?: string }).data;
    }
    expect(data, "the deployment must revert with data").to.be.a("string");
    expect(iface.parseError(data!)?.name).to.equal("ZeroVerifier");
    expect(await provider.getTransactionCount(deployer.address)).to.equal(0);
  });
});
