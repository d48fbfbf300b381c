import { expect } from "chai";
import { Interface, JsonRpcProvider, Wallet, parseEther, type HDNodeWallet } from "ethers";
import { startChain, type Chain } from "../../../devnet/chain";
import { devnetPrivateKey, DEVNET_ROLES } from "../../../devnet/accounts";
import { deployEthContracts, registerServiceProvider, signStakingPermit, type EthContracts } from "../../../devnet/deployEth";
import { DELEGATE_STAKE_TYPES, delegateManagerDomain, signDelegateStakeFor, signIncreaseStakeFor } from "../../../sdk/staking/protocol";
import { AsixToken__factory, DelegateManager__factory, ServiceProviderFactory__factory, Staking__factory } from "../../../typechain-types";
import { post, startIdentityFixture, type IdentityFixture } from "./fixture";

const ETH_CHAIN_ID = 31337;
const token = AsixToken__factory.createInterface();
const dmInterface = DelegateManager__factory.createInterface();
const spfInterface = ServiceProviderFactory__factory.createInterface();

/** Re-encode a delegateStakeFor / increaseStakeFor call with some arguments replaced. */
function tamper(fn: "delegateStakeFor" | "increaseStakeFor", data: string, replace: Record<number, unknown>): string {
  const iface = fn === "delegateStakeFor" ? dmInterface : spfInterface;
  const args = [...iface.decodeFunctionData(fn, data)].map((a, i) => (i in replace ? replace[i] : a));
  return (iface as typeof dmInterface).encodeFunctionData(fn as "delegateStakeFor", args as never);
}

describe("identity service: POST /eth_relay (gasless permit, delegate and stake increase)", function () {
  let eth: Chain;
  let provider: JsonRpcProvider;
  let contracts: EthContracts;
  let f: IdentityFixture;
  /** a content node operator, registered with the minimum stake */
  let operator: Wallet;

  before(async () => {
    eth = await startChain({ chainId: ETH_CHAIN_ID });
    provider = new JsonRpcProvider(eth.url, ETH_CHAIN_ID, { staticNetwork: true, cacheTimeout: -1 });
    provider.pollingInterval = 50;
    contracts = await deployEthContracts(new Wallet(devnetPrivateKey(DEVNET_ROLES.deployer), provider));
    f = await startIdentityFixture({
      ethChain: {
        rpcUrl: eth.url,
        chainId: ETH_CHAIN_ID,
        tokenAddress: contracts.token,
        stakingAddress: contracts.staking,
        delegateManagerAddress: contracts.delegateManager,
        serviceProviderFactoryAddress: contracts.serviceProviderFactory,
      },
      ethRelayDailyLimit: 2,
    });
    operator = new Wallet(devnetPrivateKey(DEVNET_ROLES.contentNodes[0]), provider);
    const deployer = new Wallet(devnetPrivateKey(DEVNET_ROLES.deployer), provider);
    await registerServiceProvider({ contracts, deployer, operator, serviceType: "content-node", endpoint: "https://cn1.asix.test", stake: parseEther("200000") });
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
      const staking = Staking__factory.createInterface();
      const other = await post(`${f.service.url}/eth_relay`, {
        ...body,
        contractRegistryKey: "Staking",
        contractAddress: contracts.staking,
        encodedABI: staking.encodeFunctionData("stakeFor", [owner.address, 1n]),
      });
      expect(other.status).to.equal(400);
      expect(other.data.error.message).to.match(/contract is not whitelisted/);
      // the right key with another address, and a whitelisted contract's other methods
      const elsewhere = await post(`${f.service.url}/eth_relay`, { ...body, contractAddress: contracts.staking });
      expect(elsewhere.status).to.equal(400);
      expect(elsewhere.data.error.message).to.match(/contract is not whitelisted/);
      const direct = await post(`${f.service.url}/eth_relay`, {
        ...body,
        contractRegistryKey: "DelegateManager",
        contractAddress: contracts.delegateManager,
        encodedABI: dmInterface.encodeFunctionData("delegateStake", [operator.address, 1n]),
      });
      expect(direct.status).to.equal(400);
      expect(direct.data.error.message).to.match(/method is not whitelisted/);
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

  it("answers 429 over an IP's hourly eth relays, whatever the number of wallets", async () => {
    const ethChain = { rpcUrl: eth.url, chainId: ETH_CHAIN_ID, tokenAddress: contracts.token, stakingAddress: contracts.staking, delegateManagerAddress: contracts.delegateManager, serviceProviderFactoryAddress: contracts.serviceProviderFactory };
    const strict = await startIdentityFixture({ ethChain, ethRelayIpHourlyLimit: 2 }, f.fx);
    try {
      // fixed hourly windows: a run across the hour may pass up to 4 before the refusal
      let relayed = 0;
      let refused;
      for (let i = 0; i < 5 && !refused; i++) {
        const res = await post(`${strict.service.url}/eth_relay`, await permitBody(await holder(), 1n));
        if (res.status === 200) relayed++;
        else refused = res;
      }
      expect(refused?.status, JSON.stringify(refused?.data)).to.equal(429);
      expect(refused!.data.error.message).to.match(/^EthRelay is limited to 2 per hour for each IP/);
      expect(relayed).to.be.within(2, 4);
    } finally {
      await strict.close();
    }
  });

  function delegateBody(owner: HDNodeWallet, encodedABI: string) {
    return { contractRegistryKey: "DelegateManager", contractAddress: contracts.delegateManager, encodedABI, senderAddress: owner.address, gasLimit: 0 };
  }

  function increaseBody(owner: Wallet | HDNodeWallet, encodedABI: string) {
    return { contractRegistryKey: "ServiceProviderFactory", contractAddress: contracts.serviceProviderFactory, encodedABI, senderAddress: owner.address, gasLimit: 0 };
  }

  const dm = () => DelegateManager__factory.connect(contracts.delegateManager, provider);

  it("relays delegateStakeFor for a wallet with AUDIO and no ETH: the delegation is the wallet's, the relayer only pays gas", async () => {
    const owner = await holder();
    const call = await signDelegateStakeFor(owner, contracts, operator.address, parseEther("300"));
    const res = await post(`${f.service.url}/eth_relay`, delegateBody(owner, call.data));
    expect(res.status, JSON.stringify(res.data)).to.equal(200);
    const receipt = await provider.getTransactionReceipt(res.data.receipt.transactionHash);
    expect(receipt!.status).to.equal(1);
    expect(f.relayerAddresses).to.include(receipt!.from);
    expect(await dm().getDelegatorStakeForServiceProvider(owner.address, operator.address)).to.equal(parseEther("300"));
    expect(await dm().getTotalDelegatorStake(receipt!.from)).to.equal(0n);
    expect(await AsixToken__factory.connect(contracts.token, provider).balanceOf(owner.address)).to.equal(parseEther("700"));
    expect(await provider.getBalance(owner.address)).to.equal(0n);
  });

  it("relays increaseStakeFor for an operator with no ETH", async () => {
    const deployer = AsixToken__factory.connect(contracts.token, new Wallet(devnetPrivateKey(DEVNET_ROLES.deployer), provider));
    await (await deployer.transfer(operator.address, parseEther("500"))).wait();
    const factory = ServiceProviderFactory__factory.connect(contracts.serviceProviderFactory, provider);
    const before = (await factory.getServiceProviderDetails(operator.address)).deployerStake;
    const balance = await provider.getBalance(operator.address);
    await provider.send("hardhat_setBalance", [operator.address, "0x0"]);
    try {
      const call = await signIncreaseStakeFor(operator, contracts, parseEther("500"));
      const res = await post(`${f.service.url}/eth_relay`, increaseBody(operator, call.data));
      expect(res.status, JSON.stringify(res.data)).to.equal(200);
      expect((await factory.getServiceProviderDetails(operator.address)).deployerStake).to.equal(before + parseEther("500"));
      expect(await provider.getBalance(operator.address)).to.equal(0n);

      const someone = await holder();
      await expectNoEthTransaction(async () => {
        const replay = await post(`${f.service.url}/eth_relay`, increaseBody(operator, call.data));
        expect(replay.status).to.equal(409);
        expect(replay.data.error.message).to.match(/already relayed \(replay/);
        const fresh = await signIncreaseStakeFor(operator, contracts, parseEther("1"));
        const tampered = await post(`${f.service.url}/eth_relay`, increaseBody(operator, tamper("increaseStakeFor", fresh.data, { 1: parseEther("2") })));
        expect(tampered.status).to.equal(401);
        // someone without a node: every signature is right, the contract would refuse
        const noNode = await post(`${f.service.url}/eth_relay`, increaseBody(someone, (await signIncreaseStakeFor(someone, contracts, parseEther("1"))).data));
        expect(noNode.status).to.equal(422);
        expect(noNode.data.error.message).to.match(/is not a service provider/);
      });
    } finally {
      await provider.send("hardhat_setBalance", [operator.address, "0x" + balance.toString(16)]);
    }
  });

  it("refuses a replayed, tampered, foreign, expired or mis-addressed delegation, sending nothing", async () => {
    const owner = await holder();
    const call = await signDelegateStakeFor(owner, contracts, operator.address, parseEther("100"));
    expect((await post(`${f.service.url}/eth_relay`, delegateBody(owner, call.data))).status).to.equal(200);
    const other = await holder();
    await expectNoEthTransaction(async () => {
      const replay = await post(`${f.service.url}/eth_relay`, delegateBody(owner, call.data));
      expect(replay.status).to.equal(409);
      expect(replay.data.error.message).to.match(/already relayed \(replay/);

      const fresh = await signDelegateStakeFor(owner, contracts, operator.address, parseEther("150"));
      const amount = await post(`${f.service.url}/eth_relay`, delegateBody(owner, tamper("delegateStakeFor", fresh.data, { 2: parseEther("120") })));
      expect(amount.status).to.equal(401);
      expect(amount.data.error.message).to.match(/delegation is not signed by/);
      const sp = await post(`${f.service.url}/eth_relay`, delegateBody(owner, tamper("delegateStakeFor", fresh.data, { 1: other.address })));
      expect(sp.status).to.equal(401);

      // another wallet signs the owner's delegation
      const [, , , , nonce, deadline] = dmInterface.decodeFunctionData("delegateStakeFor", fresh.data);
      const message = { delegator: owner.address, serviceProvider: operator.address, amount: parseEther("150"), nonce, deadline };
      const stolen = await other.signTypedData(delegateManagerDomain(ETH_CHAIN_ID, contracts.delegateManager), DELEGATE_STAKE_TYPES, message);
      const thief = await post(`${f.service.url}/eth_relay`, delegateBody(owner, tamper("delegateStakeFor", fresh.data, { 6: stolen })));
      expect(thief.status).to.equal(401);
      // senderAddress must be the delegator
      const notSender = await post(`${f.service.url}/eth_relay`, { ...delegateBody(owner, fresh.data), senderAddress: other.address });
      expect(notSender.status).to.equal(401);
      expect(notSender.data.error.message).to.match(/delegator is not senderAddress/);

      // a permit that is not the owner's, with no allowance to fall back on
      const permit = await signStakingPermit(other, contracts, parseEther("150"));
      const badPermit = await post(`${f.service.url}/eth_relay`, delegateBody(owner, tamper("delegateStakeFor", fresh.data, { 3: permit })));
      expect(badPermit.status).to.equal(401);
      expect(badPermit.data.error.message).to.match(/permit is not signed by its owner/);

      // signed for another chain
      const foreignSig = await owner.signTypedData(delegateManagerDomain(1, contracts.delegateManager), DELEGATE_STAKE_TYPES, message);
      const foreign = await post(`${f.service.url}/eth_relay`, delegateBody(owner, tamper("delegateStakeFor", fresh.data, { 6: foreignSig })));
      expect(foreign.status).to.equal(401);

      const ahead = await post(`${f.service.url}/eth_relay`, delegateBody(owner, tamper("delegateStakeFor", fresh.data, { 4: nonce + 1n })));
      expect(ahead.status).to.equal(400);
      expect(ahead.data.error.message).to.match(/ahead of the wallet's next nonce/);

      const latest = await provider.getBlock("latest");
      const expired = await signDelegateStakeFor(owner, contracts, operator.address, parseEther("150"), BigInt(latest!.timestamp) - 1n);
      const late = await post(`${f.service.url}/eth_relay`, delegateBody(owner, expired.data));
      expect(late.status).to.equal(400);
      expect(late.data.error.message).to.match(/deadline has passed/);

      // well signed, but the contract would refuse it: the dry run catches it
      const tooSmall = await signDelegateStakeFor(other, contracts, operator.address, parseEther("5"));
      const below = await post(`${f.service.url}/eth_relay`, delegateBody(other, tooSmall.data));
      expect(below.status).to.equal(422);
      expect(below.data.error.message).to.match(/below the minimum delegation/);
    });
    // the untampered signature still works afterwards
    const fresh = await signDelegateStakeFor(owner, contracts, operator.address, parseEther("150"));
    expect((await post(`${f.service.url}/eth_relay`, delegateBody(owner, fresh.data))).status).to.equal(200);
    expect(await dm().getDelegatorStakeForServiceProvider(owner.address, operator.address)).to.equal(parseEther("250"));
  });

  it("counts permits and delegations against the same daily limit", async () => {
    const owner = await holder();
    expect((await post(`${f.service.url}/eth_relay`, await permitBody(owner, 1n))).status).to.equal(200);
    const first = await signDelegateStakeFor(owner, contracts, operator.address, parseEther("100"));
    expect((await post(`${f.service.url}/eth_relay`, delegateBody(owner, first.data))).status).to.equal(200);
    await expectNoEthTransaction(async () => {
      const second = await signDelegateStakeFor(owner, contracts, operator.address, parseEther("100"));
      const res = await post(`${f.service.url}/eth_relay`, delegateBody(owner, second.data));
      expect(res.status).to.equal(429);
      expect(Number(res.headers["retry-after"])).to.be.within(1, 86_400);
    });
  });
});
