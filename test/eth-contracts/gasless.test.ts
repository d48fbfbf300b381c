import { expect } from "chai";
import { id, TypedDataEncoder, Wallet, type HDNodeWallet } from "ethers";
import {
  DELEGATE_STAKE_TYPES,
  INCREASE_STAKE_TYPES,
  delegateManagerDomain,
  serviceProviderFactoryDomain,
  signDelegateStakeFor,
  signIncreaseStakeFor,
  signStakingPermit,
} from "../../sdk/staking/protocol";
import { DelegateManager__factory, ServiceProviderFactory__factory } from "../../typechain-types";
import { AUDIO, ETH_CHAIN_ID, eventsOf, expectRevert, mined, useEthFixture, type EthFixture } from "./fixture";

const dmInterface = DelegateManager__factory.createInterface();
const spfInterface = ServiceProviderFactory__factory.createInterface();

/** Re-encode `data` (a call of `fn` on `iface`) with some arguments replaced. */
function tamper(iface: typeof dmInterface | typeof spfInterface, fn: "delegateStakeFor" | "increaseStakeFor", data: string, replace: Record<number, unknown>) {
  const args = [...iface.decodeFunctionData(fn, data)].map((a, i) => (i in replace ? replace[i] : a));
  return (iface as typeof dmInterface).encodeFunctionData(fn as "delegateStakeFor", args as never);
}

describe("eth-contracts: gasless delegateStakeFor and increaseStakeFor", () => {
  const get = useEthFixture();
  const MIN = AUDIO(200_000);

  /** A wallet holding `audio` and no ETH. */
  async function holder(fx: EthFixture, audio: bigint): Promise<HDNodeWallet> {
    const wallet = Wallet.createRandom(fx.provider);
    await fx.fund(wallet as unknown as Wallet, audio);
    expect(await fx.provider.getBalance(wallet.address)).to.equal(0n);
    return wallet;
  }

  /** The account that sends (and pays for) the signed calls. */
  const relayerOf = (fx: EthFixture) => fx.delegators[5];
  const relay = (fx: EthFixture, to: string, data: string) => mined(relayerOf(fx).sendTransaction({ to, data }));

  async function withNode(fx: EthFixture) {
    const sp = fx.operators[0];
    await fx.register(sp, "content-node", "https://cn1.asix.test", MIN);
    return sp;
  }

  describe("DelegateManager.delegateStakeFor", () => {
    it("delegates the tokens of a wallet with no ETH, sent by a relayer that gains nothing", async () => {
      const fx = get();
      const sp = await withNode(fx);
      const delegator = await holder(fx, AUDIO(500));
      const relayer = relayerOf(fx);
      const relayerAudio = await fx.as(relayer).token.balanceOf(relayer.address);
      const call = await signDelegateStakeFor(delegator, fx.contracts, sp.address, AUDIO(300));
      expect(call.nonce).to.equal(0n);
      const receipt = await relay(fx, call.to, call.data);
      expect(receipt.from).to.equal(relayer.address);

      const { delegateManager: dm, staking, token } = fx.as(relayer);
      expect(eventsOf(receipt, dm.interface, "IncreaseDelegatedStake")[0].toArray()).to.deep.equal([delegator.address, sp.address, AUDIO(300)]);
      expect(eventsOf(receipt, staking.interface, "Staked")[0].toArray()).to.deep.equal([sp.address, delegator.address, AUDIO(300), MIN + AUDIO(300)]);
      expect(await dm.getDelegatorStakeForServiceProvider(delegator.address, sp.address)).to.equal(AUDIO(300));
      expect(await dm.getDelegatorsList(sp.address)).to.deep.equal([delegator.address]);
      expect(await token.balanceOf(delegator.address)).to.equal(AUDIO(200));
      expect(await dm.nonces(delegator.address)).to.equal(1n);
      // the relayer neither delegated nor paid tokens
      expect(await dm.getTotalDelegatorStake(relayer.address)).to.equal(0n);
      expect(await token.balanceOf(relayer.address)).to.equal(relayerAudio);
      expect(await fx.provider.getBalance(delegator.address)).to.equal(0n);
    });

    it("rejects a replayed signature (nonce already used) with InvalidAccountNonce", async () => {
      const fx = get();
      const sp = await withNode(fx);
      const delegator = await holder(fx, AUDIO(500));
      const call = await signDelegateStakeFor(delegator, fx.contracts, sp.address, AUDIO(200));
      await relay(fx, call.to, call.data);
      await expectRevert(relay(fx, call.to, call.data), "InvalidAccountNonce", [delegator.address, 1n]);
      // a nonce ahead of the account's is refused the same way
      const ahead = tamper(dmInterface, "delegateStakeFor", call.data, { 4: 7n });
      await expectRevert(relay(fx, call.to, ahead), "InvalidAccountNonce", [delegator.address, 1n]);
    });

    it("rejects a tampered amount or service provider, and another signer, with InvalidSignature", async () => {
      const fx = get();
      const sp = await withNode(fx);
      const other = fx.operators[1];
      await fx.register(other, "content-node", "https://cn2.asix.test", MIN);
      const delegator = await holder(fx, AUDIO(500));
      const call = await signDelegateStakeFor(delegator, fx.contracts, sp.address, AUDIO(200));
      // the permit still approves 200, so a larger amount would also fail the permit: tamper downwards
      await expectRevert(relay(fx, call.to, tamper(dmInterface, "delegateStakeFor", call.data, { 2: AUDIO(150) })), "InvalidSignature", [delegator.address]);
      await expectRevert(relay(fx, call.to, tamper(dmInterface, "delegateStakeFor", call.data, { 1: other.address })), "InvalidSignature", [delegator.address]);
      // a thief signs for the delegator's tokens
      const thief = await holder(fx, 0n);
      const stolen = await signDelegateStakeFor(thief, fx.contracts, sp.address, AUDIO(200));
      await expectRevert(relay(fx, call.to, tamper(dmInterface, "delegateStakeFor", stolen.data, { 0: delegator.address })), "InvalidSignature", [delegator.address]);
      // nothing moved; the untampered call still goes through
      expect(await fx.as(sp).delegateManager.nonces(delegator.address)).to.equal(0n);
      await relay(fx, call.to, call.data);
      expect(await fx.as(sp).delegateManager.getDelegatorStakeForServiceProvider(delegator.address, sp.address)).to.equal(AUDIO(200));
    });

    it("rejects an expired signature with SignatureExpired", async () => {
      const fx = get();
      const sp = await withNode(fx);
      const delegator = await holder(fx, AUDIO(500));
      const latest = (await fx.provider.getBlock("latest"))!.timestamp;
      const call = await signDelegateStakeFor(delegator, fx.contracts, sp.address, AUDIO(200), BigInt(latest) + 60n);
      await fx.provider.send("evm_increaseTime", [120]);
      const error = await expectRevert(relay(fx, call.to, call.data), "SignatureExpired");
      expect(error.args[0]).to.equal(BigInt(latest) + 60n);
    });

    it("rejects a signature for another chain or another contract with InvalidSignature", async () => {
      const fx = get();
      const sp = await withNode(fx);
      const delegator = await holder(fx, AUDIO(500));
      const call = await signDelegateStakeFor(delegator, fx.contracts, sp.address, AUDIO(200));
      const [, , , , nonce, deadline] = dmInterface.decodeFunctionData("delegateStakeFor", call.data);
      const message = { delegator: delegator.address, serviceProvider: sp.address, amount: AUDIO(200), nonce, deadline };
      for (const domain of [
        delegateManagerDomain(1, fx.contracts.delegateManager),
        delegateManagerDomain(ETH_CHAIN_ID, fx.contracts.serviceProviderFactory),
        { ...delegateManagerDomain(ETH_CHAIN_ID, fx.contracts.delegateManager), name: "ServiceProviderFactory" },
      ]) {
        const signature = await delegator.signTypedData(domain, DELEGATE_STAKE_TYPES, message);
        await expectRevert(relay(fx, call.to, tamper(dmInterface, "delegateStakeFor", call.data, { 6: signature })), "InvalidSignature", [delegator.address]);
      }
    });

    it("accepts a spent permit when the allowance covers the amount, and refuses it otherwise with PermitFailed", async () => {
      const fx = get();
      const sp = await withNode(fx);
      const delegator = await holder(fx, AUDIO(500));
      // the permit is front-run on its own: the allowance is there, so the delegation still goes through
      const call = await signDelegateStakeFor(delegator, fx.contracts, sp.address, AUDIO(200));
      const [, , , permit, , deadline] = dmInterface.decodeFunctionData("delegateStakeFor", call.data);
      await mined(fx.as(relayerOf(fx)).token.permit(delegator.address, fx.contracts.staking, AUDIO(200), deadline, permit.v, permit.r, permit.s));
      await relay(fx, call.to, call.data);
      expect(await fx.as(sp).delegateManager.getDelegatorStakeForServiceProvider(delegator.address, sp.address)).to.equal(AUDIO(200));
      // a permit for less than the amount, and no allowance left
      const short = await signStakingPermit(delegator, fx.contracts, AUDIO(1));
      const next = await signDelegateStakeFor(delegator, fx.contracts, sp.address, AUDIO(100));
      await expectRevert(relay(fx, next.to, tamper(dmInterface, "delegateStakeFor", next.data, { 3: short })), "PermitFailed", [delegator.address, 0n, AUDIO(100)]);
    });

    it("hashes DelegateStake as an independent EIP-712 encoder does", async () => {
      const fx = get();
      const dm = fx.as(fx.deployer).delegateManager;
      expect(await dm.DELEGATE_STAKE_TYPEHASH()).to.equal(id("DelegateStake(address delegator,address serviceProvider,uint256 amount,uint256 nonce,uint256 deadline)"));
      expect(await dm.DOMAIN_SEPARATOR()).to.equal(TypedDataEncoder.hashDomain(delegateManagerDomain(ETH_CHAIN_ID, fx.contracts.delegateManager)));
    });
  });

  describe("ServiceProviderFactory.increaseStakeFor", () => {
    /** A registered operator left with AUDIO and no ETH. */
    async function operatorWithoutEth(fx: EthFixture) {
      const op = fx.operators[0];
      await fx.register(op, "content-node", "https://cn1.asix.test", MIN);
      await fx.fund(op, AUDIO(1_000));
      await fx.provider.send("hardhat_setBalance", [op.address, "0x0"]);
      return op;
    }

    it("adds to the own stake of an operator with no ETH, sent by a relayer that gains nothing", async () => {
      const fx = get();
      const op = await operatorWithoutEth(fx);
      const relayer = relayerOf(fx);
      const call = await signIncreaseStakeFor(op, fx.contracts, AUDIO(400));
      const receipt = await relay(fx, call.to, call.data);
      const { factory, staking, token } = fx.as(relayer);
      expect(eventsOf(receipt, factory.interface, "IncreasedStake")[0].toArray()).to.deep.equal([op.address, AUDIO(400), MIN + AUDIO(400)]);
      expect((await factory.getServiceProviderDetails(op.address)).deployerStake).to.equal(MIN + AUDIO(400));
      expect(await staking.totalStakedFor(op.address)).to.equal(MIN + AUDIO(400));
      expect(await staking.totalStakedFor(relayer.address)).to.equal(0n);
      expect(await token.balanceOf(op.address)).to.equal(AUDIO(600));
      expect(await factory.nonces(op.address)).to.equal(1n);
      expect(await fx.provider.getBalance(op.address)).to.equal(0n);
    });

    it("refuses a replay, a tampered amount, another signer, an expired signature and another domain, each by its error", async () => {
      const fx = get();
      const op = await operatorWithoutEth(fx);
      const latest = BigInt((await fx.provider.getBlock("latest"))!.timestamp);
      const call = await signIncreaseStakeFor(op, fx.contracts, AUDIO(400), latest + 600n);

      await expectRevert(relay(fx, call.to, tamper(spfInterface, "increaseStakeFor", call.data, { 1: AUDIO(300) })), "InvalidSignature", [op.address]);
      const thief = await holder(fx, 0n);
      const stolen = await signIncreaseStakeFor(thief, fx.contracts, AUDIO(400));
      await expectRevert(relay(fx, call.to, tamper(spfInterface, "increaseStakeFor", stolen.data, { 0: op.address })), "InvalidSignature", [op.address]);
      const message = { owner: op.address, amount: AUDIO(400), nonce: 0n, deadline: latest + 600n };
      for (const domain of [serviceProviderFactoryDomain(1, fx.contracts.serviceProviderFactory), serviceProviderFactoryDomain(ETH_CHAIN_ID, fx.contracts.delegateManager)]) {
        const signature = await op.signTypedData(domain, INCREASE_STAKE_TYPES, message);
        await expectRevert(relay(fx, call.to, tamper(spfInterface, "increaseStakeFor", call.data, { 5: signature })), "InvalidSignature", [op.address]);
      }

      await relay(fx, call.to, call.data);
      await expectRevert(relay(fx, call.to, call.data), "InvalidAccountNonce", [op.address, 1n]);

      const soon = await signIncreaseStakeFor(op, fx.contracts, AUDIO(100), latest + 700n);
      await fx.provider.send("evm_increaseTime", [1_000]);
      await expectRevert(relay(fx, soon.to, soon.data), "SignatureExpired");
    });

    it("refuses a signed increase from an account without a node with NotAServiceProvider", async () => {
      const fx = get();
      const someone = await holder(fx, AUDIO(500));
      const call = await signIncreaseStakeFor(someone, fx.contracts, AUDIO(100));
      await expectRevert(relay(fx, call.to, call.data), "NotAServiceProvider", [someone.address]);
    });

    it("hashes IncreaseStake as an independent EIP-712 encoder does", async () => {
      const fx = get();
      const factory = fx.as(fx.deployer).factory;
      expect(await factory.INCREASE_STAKE_TYPEHASH()).to.equal(id("IncreaseStake(address owner,uint256 amount,uint256 nonce,uint256 deadline)"));
      expect(await factory.DOMAIN_SEPARATOR()).to.equal(
        TypedDataEncoder.hashDomain(serviceProviderFactoryDomain(ETH_CHAIN_ID, fx.contracts.serviceProviderFactory)),
      );
    });
  });
});

