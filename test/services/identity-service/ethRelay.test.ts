import { expect } from "chai";
import { Interface, JsonRpcProvider, Wallet, parseEther, type HDNodeWallet } from "ethers";
import { startChain, type Chain } from "../../../devnet/chain";
import { devnetPrivateKey, DEVNET_ROLES } from "../../../devnet/accounts";
import { deployEthContracts, signStakingPermit, type EthContracts } from "../../../devnet/deployEth";
import { AsixToken__factory } from "../../../typechain-types";
import { post, startIdentityFixture, type IdentityFixture } from "./fixture";

const ETH_CHAIN_ID = 31337;
const token = AsixToken__factory.createInterface();

describe("identity service: POST /eth_relay (gasless permit)", function () {
  let eth: Chain;
  let provider: JsonRpcProvider;
  let contracts: EthContracts;
  let f: IdentityFixture;

  before(async () => {
    eth = await startChain({ chainId: ETH_CHAIN_ID });
    provider = new JsonRpcProvider(eth.url, ETH_CHAIN_ID, { staticNetwork: true, cacheTimeout: -1 });
    provider.pollingInterval = 50;
    contracts = await deployEthContracts(new Wallet(devnetPrivateKey(DEVNET_ROLES.deployer), provider));
    f = await startIdentityFixture({
      ethChain: { rpcUrl: eth.url, chainId: ETH_CHAIN_ID, tokenAddress: contracts.token, stakingAddress: contracts.staking },
      ethRelayDailyLimit: 2,
    });
  });
  after(async () => {
    await f?.close();
    provider?.destroy();
    await eth?.close();
  });

  /** A wallet with AUDIO and no ETH. */
  async function holder(): Promise<HDNodeWallet> {
    const wallet = Wallet.createRandom(provider);
    const deployer = AsixToken__factory.connect(contracts.token, new Wallet(devnetPrivateKey(DEVNET_ROLES.deployer), provider));
    await (await deployer.transfer(wallet.address, parseEther("1000"))).wait();
    return wallet;
  }

  async function permitBody(owner: HDNodeWallet, amount: bigint, opts: { spender?: string; deadline?: bigint } = {}) {
    const permit = await signStakingPermit(owner, { token: contracts.token, staking: opts.spender ?? contracts.staking }, amount, opts.deadline);
    return {
      contractRegistryKey: "Token",
      contractAddress: contracts.token,
      encodedABI: token.encodeFunctionData("permit", [owner.address, opts.spender ?? contracts.staking, amount, permit.deadline, permit.v, permit.r, permit.s]),
      senderAddress: owner.address,
      gasLimit: 0,
    };
  }

  async function expectNoEthTransaction(fn: () => Promise<void>) {
    const block = await provider.getBlockNumber();
    const ethNonces = () => Promise.all(f.relayerAddresses.map((a) => provider.getTransactionCount(a, "pending")));
    const before = await ethNonces();
    await fn();
    expect(await provider.getBlockNumber()).to.equal(block);
    expect(await ethNonces()).to.deep.equal(before);
  }

  it("relays a permit for a wallet with AUDIO and no ETH: Staking may now pull its tokens", async () => {
    const owner = await holder();
    const res = await post(`${f.service.url}/eth_relay`, await permitBody(owner, parseEther("200")));
    expect(res.status, JSON.stringify(res.data)).to.equal(200);
    const receipt = await provider.getTransactionReceipt(res.data.receipt.transactionHash);
    expect(receipt!.status).to.equal(1);
    expect(f.relayerAddresses).to.include(receipt!.from);
    const audio = AsixToken__factory.connect(contracts.token, provider);
    expect(await audio.allowance(owner.address, contracts.staking)).to.equal(parseEther("200"));
    expect(await provider.getBalance(owner.address)).to.equal(0n);
  });

  it("refuses a replayed permit, a tampered amount and an expired one, sending nothing", async () => {
    const owner = await holder();
    const body = await permitBody(owner, parseEther("10"));
    expect((await post(`${f.service.url}/eth_relay`, body)).status).to.equal(200);
    await expectNoEthTransaction(async () => {
      const replay = await post(`${f.service.url}/eth_relay`, body);
      expect(replay.status).to.equal(409);
      expect(replay.data.error.message).to.match(/already used/);

      const fresh = await permitBody(owner, parseEther("10"));
      const args = [...token.decodeFunctionData("permit", fresh.encodedABI)];
      args[2] = parseEther("999");
      const tampered = await post(`${f.service.url}/eth_relay`, { ...fresh, encodedABI: (token as Interface).encodeFunctionData("permit", args) });
      expect(tampered.status).to.equal(401);

      const block = await provider.getBlock("latest");
      const expired = await post(`${f.service.url}/eth_relay`, await permitBody(owner, parseEther("10"), { deadline: BigInt(block!.timestamp) - 1n }));
      expect(expired.status).to.equal(400);
      expect(expired.data.error.message).to.match(/deadline has passed/);
    });
  });

  it("refuses other spenders, methods and contracts", async () => {
    const owner = await holder();
    await expectNoEthTransaction(async () => {
      const thief = await post(`${f.service.url}/eth_relay`, await permitBody(owner, parseEther("10"), { spender: Wallet.createRandom().address }));
      expect(thief.status).to.equal(400);
      expect(thief.data.error.message).to.match(/only approve the Staking contract/);
      const body = await permitBody(owner, parseEther("10"));
      const transfer = await post(`${f.service.url}/eth_relay`, { ...body, encodedABI: token.encodeFunctionData("transfer", [Wallet.createRandom().address, 1n] as [string, bigint]) });
      expect(transfer.status).to.equal(400);
      expect(transfer.data.error.message).to.match(/method is not whitelisted/);
      const other = await post(`${f.service.url}/eth_relay`, { ...body, contractRegistryKey: "DelegateManager", contractAddress: contracts.delegateManager });
      expect(other.status).to.equal(400);
      expect(other.data.error.message).to.match(/not whitelisted/);
    });
  });

  it("answers 429 with Retry-After over a wallet's daily permits", async () => {
    const owner = await holder();
    expect((await post(`${f.service.url}/eth_relay`, await permitBody(owner, 1n))).status).to.equal(200);
    expect((await post(`${f.service.url}/eth_relay`, await permitBody(owner, 2n))).status).to.equal(200);
    await expectNoEthTransaction(async () => {
      const res = await post(`${f.service.url}/eth_relay`, await permitBody(owner, 3n));
      expect(res.status).to.equal(429);
      expect(Number(res.headers["retry-after"])).to.be.within(1, 86_400);
    });
  });
});
