import { expect } from "chai";
import { JsonRpcProvider, parseEther, Wallet } from "ethers";
import { createAsix } from "../../sdk";
import { createStakingApi } from "../../sdk/staking";
import type { Devnet } from "../../devnet";
import { startTestDevnet } from "../helpers/devnet";
import { rejection } from "../helpers/errors";

const AUDIO = (n: string | number) => parseEther(String(n));


describe("gasless staking through the SDK and the devnet's eth relay", function () {
  this.timeout(120_000);
  let devnet: Devnet;
  let provider: JsonRpcProvider;
  const staking = (privateKey: string) => createStakingApi(createAsix({ network: devnet, wallet: privateKey }).client);
  let treasury: ReturnType<typeof staking>;
  const operator = () => devnet.accounts[16];

  before(async () => {
    devnet = await startTestDevnet({ contentNodes: 1, logs: false });
    provider = new JsonRpcProvider(devnet.ethChain.url, devnet.ethChain.chainId, { staticNetwork: true, cacheTimeout: -1 });
    treasury = staking(devnet.accounts[0].privateKey);
    await treasury.transfer(operator().address, AUDIO(201_000));
    await staking(operator().privateKey).register({ type: "content-node", endpoint: "http://gasless-node.example:4000", stake: AUDIO(200_000) });
  });

  after(async () => {
    provider?.destroy();
    await devnet?.stop();
  });

  it("a fan with AUDIO and no ETH delegates with { gasless: true } and gets the direct path's result", async () => {
    const fan = Wallet.createRandom();
    await treasury.transfer(fan.address, AUDIO(500));
    const asFan = staking(fan.privateKey);
    // on its own the wallet cannot pay for gas
    const direct = await rejection(asFan.delegate(operator().address, AUDIO(200)));
    expect(direct.code).to.equal("CHAIN_REVERTED");
    expect(direct.message).to.match(/too little ETH for gas .*gasless: true/);

    const result = await asFan.delegate(operator().address, AUDIO(200), { gasless: true });
    expect(result).to.include({ serviceProvider: operator().address, amount: AUDIO(200), delegatedAmount: AUDIO(200) });
    expect(result.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(result.blockNumber).to.be.a("number");
    const receipt = await provider.getTransactionReceipt(result.transactionHash);
    expect(receipt!.from).to.not.equal(fan.address);

    const again = await asFan.delegate(operator().address, AUDIO(100), { gasless: true });
    expect(again.delegatedAmount).to.equal(AUDIO(300));
    expect(await provider.getBalance(fan.address)).to.equal(0n);
    expect(await asFan.balanceOf()).to.equal(AUDIO(200));
    const delegators = await treasury.getDelegators(operator().address);
    expect(delegators.map((d) => d.delegator)).to.include(fan.address);
  });

  it("an operator left without ETH adds stake with { gasless: true }", async () => {
    const op = staking(operator().privateKey);
    const before = (await op.getServiceProvider()).deployerStake;
    await provider.send("hardhat_setBalance", [operator().address, "0x0"]);
    const result = await op.increaseStake(AUDIO(1_000), { gasless: true });
    expect(result).to.include({ amount: AUDIO(1_000), newStakeAmount: before + AUDIO(1_000) });
    expect((await op.getServiceProvider()).deployerStake).to.equal(before + AUDIO(1_000));
    expect(await provider.getBalance(operator().address)).to.equal(0n);
  });

  it("refuses bad options and what the relay refuses, as AsixErrors", async () => {
    const fan = Wallet.createRandom();
    await treasury.transfer(fan.address, AUDIO(500));
    const asFan = staking(fan.privateKey);
    const badOption = await rejection(asFan.delegate(operator().address, AUDIO(200), { gasless: "yes" } as never));
    expect(badOption.code).to.equal("INVALID_INPUT");
    const noIdentity = createStakingApi(
      createAsix({
        network: {
          discoveryUrl: devnet.services.discovery[0],
          dataChain: { chainId: devnet.dataChain.chainId, entityManagerAddress: devnet.dataChain.contracts.entityManager },
          ethChain: { chainId: devnet.ethChain.chainId, rpcUrl: devnet.ethChain.url, contracts: devnet.ethChain.contracts },
        },
        wallet: fan.privateKey,
      }).client,
    );
    const noUrl = await rejection(noIdentity.increaseStake(AUDIO(1), { gasless: true }));
    expect(noUrl.code).to.equal("INVALID_INPUT");
    expect(noUrl.message).to.match(/identityUrl/);
    // the relay dry-runs the call: a delegation under the minimum is refused without a transaction
    const below = await rejection(asFan.delegate(operator().address, AUDIO(5), { gasless: true }));
    expect(below.code).to.equal("CHAIN_REVERTED");
    expect(below.message).to.match(/below the minimum delegation/);
    const notOperator = await rejection(asFan.increaseStake(AUDIO(5), { gasless: true }));
    expect(notOperator.code).to.equal("CHAIN_REVERTED");
    expect(notOperator.message).to.match(/is not a service provider/);
    expect(await provider.getTransactionCount(fan.address)).to.equal(0);
  });
});
