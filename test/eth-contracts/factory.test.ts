import { expect } from "chai";
import { Wallet, ZeroAddress } from "ethers";
import { registerServiceProvider, signStakingPermit } from "../../devnet/deployEth";
import { AUDIO, CONTENT, DISCOVERY, eventsOf, expectGovernedRevert, expectRevert, mined, useEthFixture, type EthFixture } from "./fixture";

/** Fund `who` and approve the Staking contract for `amount`. */
async function approve(fx: EthFixture, who: Wallet, amount: bigint) {
  await fx.fund(who, amount);
  await mined(fx.as(who).token.approve(fx.contracts.staking, amount));
}

describe("eth-contracts: ServiceProviderFactory", () => {
  const get = useEthFixture();
  const MIN = AUDIO(200_000);
  const CN_MAX = AUDIO(10_000_000);
  const DN_MAX = AUDIO(7_000_000);

  describe("register", () => {
    it("registers a content node with stake approved to Staking and exposes it through the getters", async () => {
      const fx = get();
      const op = fx.operators[0];
      const wallet = Wallet.createRandom().address;
      await approve(fx, op, MIN);
      const { factory, staking, token } = fx.as(op);
      const receipt = await mined(factory.register(CONTENT, "https://cn1.asix.test", MIN, wallet));
      const [event] = eventsOf(receipt, factory.interface, "RegisteredServiceProvider");
      expect(event.toArray()).to.deep.equal([1n, CONTENT, op.address, "https://cn1.asix.test", MIN]);

      const info = await factory.getServiceEndpointInfo(CONTENT, 1n);
      expect([info.owner, info.endpoint, info.blockNumber, info.delegateOwnerWallet]).to.deep.equal([
        op.address,
        "https://cn1.asix.test",
        BigInt(receipt.blockNumber),
        wallet,
      ]);
      expect(await factory.getServiceProviderIdFromEndpoint("https://cn1.asix.test")).to.equal(1n);
      expect(await factory.getServiceProviderIdFromEndpoint("https://nowhere.test")).to.equal(0n);
      expect(await factory.getServiceProviderIdsFromAddress(op.address, CONTENT)).to.deep.equal([1n]);
      expect(await factory.getTotalServiceTypeProviders(CONTENT)).to.equal(1n);
      expect(await factory.getTotalServiceTypeProviders(DISCOVERY)).to.equal(0n);
      expect([...(await factory.getServiceProviderDetails(op.address))]).to.deep.equal([MIN, 0n, true, 1n, MIN, CN_MAX]);
      expect(await staking.totalStakedFor(op.address)).to.equal(MIN);
      expect(await token.balanceOf(op.address)).to.equal(0n);
    });

    it("registers in one call with a permit (registerServiceProvider), delegate wallet defaulting to the operator", async () => {
      const fx = get();
      const op = fx.operators[3];
      const spId = await fx.register(op, "discovery-node", "https://dn1.asix.test", AUDIO(250_000));
      expect(spId).to.equal(1n);
      const { factory, token } = fx.as(op);
      expect((await factory.getServiceEndpointInfo(DISCOVERY, spId)).delegateOwnerWallet).to.equal(op.address);
      expect(await token.allowance(op.address, fx.contracts.staking)).to.equal(0n);
      // ids count per type
      expect(await fx.register(fx.operators[0], "content-node", "https://cn1.asix.test", MIN)).to.equal(1n);
      expect(await fx.register(fx.operators[1], "content-node", "https://cn2.asix.test", MIN)).to.equal(2n);
    });

    it("accepts a front-run permit when the allowance covers the stake, and rejects a bad permit without one", async () => {
      const fx = get();
      const op = fx.operators[0];
      await fx.fund(op, MIN);
      const permit = await signStakingPermit(op, fx.contracts, MIN);
      // someone submits the permit first
      await mined(fx.as(fx.deployer).token.permit(op.address, fx.contracts.staking, MIN, permit.deadline, permit.v, permit.r, permit.s));
      await mined(fx.as(op).factory.registerWithPermit(CONTENT, "https://cn1.asix.test", MIN, ZeroAddress, permit));
      expect(await fx.as(op).staking.totalStakedFor(op.address)).to.equal(MIN);

      const other = fx.operators[1];
      await fx.fund(other, MIN);
      const wrong = await signStakingPermit(other, fx.contracts, AUDIO(1)); // signed for another value
      await expectRevert(
        fx.as(other).factory.registerWithPermit(CONTENT, "https://cn2.asix.test", MIN, ZeroAddress, wrong),
        "PermitFailed",
        [other.address, 0n, MIN],
      );
    });

    it("rejects a stake below the minimum or above the maximum", async () => {
      const fx = get();
      const op = fx.operators[0];
      await approve(fx, op, AUDIO(11_000_000));
      const { factory } = fx.as(op);
      await expectRevert(factory.register(CONTENT, "https://cn1.asix.test", AUDIO(150_000), ZeroAddress), "StakeBelowMinimum", [
        AUDIO(150_000),
        MIN,
      ]);
      await expectRevert(factory.register(CONTENT, "https://cn1.asix.test", AUDIO(11_000_000), ZeroAddress), "StakeAboveMaximum", [
        AUDIO(11_000_000),
        CN_MAX,
      ]);
      await expectRevert(factory.register(DISCOVERY, "https://dn1.asix.test", AUDIO(8_000_000), ZeroAddress), "StakeAboveMaximum", [
        AUDIO(8_000_000),
        DN_MAX,
      ]);
    });

    it("rejects a duplicate endpoint, an unknown service type and an empty endpoint", async () => {
      const fx = get();
      await fx.register(fx.operators[0], "content-node", "https://cn1.asix.test", MIN);
      const op = fx.operators[1];
      await approve(fx, op, MIN);
      const { factory } = fx.as(op);
      await expectRevert(factory.register(CONTENT, "https://cn1.asix.test", MIN, ZeroAddress), "EndpointAlreadyRegistered", [
        "https://cn1.asix.test",
        1n,
      ]);
      await expectRevert(factory.register(DISCOVERY, "https://cn1.asix.test", MIN, ZeroAddress), "EndpointAlreadyRegistered");
      const bogus = "0x" + Buffer.from("relay".padEnd(32, "\0")).toString("hex");
      await expectRevert(factory.register(bogus, "https://r.asix.test", MIN, ZeroAddress), "InvalidServiceType", [bogus]);
      await expectRevert(factory.register(CONTENT, "", MIN, ZeroAddress), "EmptyEndpoint", []);
    });

    it("sums the bounds of an operator's endpoints", async () => {
      const fx = get();
      const op = fx.operators[0];
      await fx.register(op, "content-node", "https://cn1.asix.test", MIN);
      await approve(fx, op, MIN);
      const { factory } = fx.as(op);
      // a second endpoint needs the stake to cover both minimums
      await expectRevert(factory.register(DISCOVERY, "https://dn1.asix.test", AUDIO(100_000), ZeroAddress), "StakeBelowMinimum", [
        AUDIO(300_000),
        AUDIO(400_000),
      ]);
      await mined(factory.register(DISCOVERY, "https://dn1.asix.test", MIN, ZeroAddress));
      const details = await factory.getServiceProviderDetails(op.address);
      expect([details.deployerStake, details.numberOfEndpoints, details.minAccountStake, details.maxAccountStake]).to.deep.equal([
        AUDIO(400_000),
        2n,
        AUDIO(400_000),
        CN_MAX + DN_MAX,
      ]);
    });
  });

  describe("stake changes", () => {
    it("increases stake with an allowance or a permit, up to the maximum", async () => {
      const fx = get();
      const op = fx.operators[0];
      await fx.register(op, "content-node", "https://cn1.asix.test", MIN);
      await approve(fx, op, AUDIO(1_000));
      const { factory } = fx.as(op);
      const receipt = await mined(factory.increaseStake(AUDIO(1_000)));
      expect(eventsOf(receipt, factory.interface, "IncreasedStake")[0].toArray()).to.deep.equal([op.address, AUDIO(1_000), AUDIO(201_000)]);

      await fx.fund(op, AUDIO(2_000));
      const permit = await signStakingPermit(op, fx.contracts, AUDIO(2_000));
      await mined(factory.increaseStakeWithPermit(AUDIO(2_000), permit));
      expect((await factory.getServiceProviderDetails(op.address)).deployerStake).to.equal(AUDIO(203_000));

      await approve(fx, op, CN_MAX);
      await expectRevert(factory.increaseStake(CN_MAX), "StakeAboveMaximum", [AUDIO(203_000) + CN_MAX, CN_MAX]);
      await expectRevert(factory.increaseStake(0n), "ZeroAmount", []);
      await expectRevert(fx.as(fx.operators[1]).factory.increaseStake(1n), "NotAServiceProvider", [fx.operators[1].address]);
    });

    it("decreases stake only after the lockup, and not below the minimum", async () => {
      const fx = get();
      const op = fx.operators[0];
      await fx.register(op, "content-node", "https://cn1.asix.test", AUDIO(300_000));
      const { factory, token, staking } = fx.as(op);
      await expectRevert(factory.requestDecreaseStake(AUDIO(150_000)), "StakeBelowMinimum", [AUDIO(150_000), MIN]);
      await expectRevert(factory.requestDecreaseStake(AUDIO(400_000)), "InsufficientStake", [op.address, AUDIO(300_000), AUDIO(400_000)]);
      await expectRevert(factory.decreaseStake(), "NoPendingDecreaseStake", [op.address]);

      const receipt = await mined(factory.requestDecreaseStake(AUDIO(100_000)));
      const expiry = BigInt(receipt.blockNumber) + fx.params.decreaseStakeLockup;
      expect(eventsOf(receipt, factory.interface, "DecreaseStakeRequested")[0].toArray()).to.deep.equal([op.address, AUDIO(100_000), expiry]);
      expect([...(await factory.getPendingDecreaseStakeRequest(op.address))]).to.deep.equal([AUDIO(100_000), expiry]);
      await expectRevert(factory.requestDecreaseStake(1n), "DecreaseStakeRequestPending", [op.address, AUDIO(100_000), expiry]);

      const next = BigInt(await fx.blockNumber()) + 1n;
      await expectRevert(factory.decreaseStake(), "LockupNotEnded", [expiry, next]);
      await fx.mine(expiry - next);
      const done = await mined(factory.decreaseStake());
      expect(BigInt(done.blockNumber)).to.equal(expiry);
      expect(eventsOf(done, factory.interface, "DecreaseStakeRequestEvaluated")[0].toArray()).to.deep.equal([
        op.address,
        AUDIO(100_000),
        AUDIO(200_000),
      ]);
      expect(await token.balanceOf(op.address)).to.equal(AUDIO(100_000));
      expect(await staking.totalStakedFor(op.address)).to.equal(AUDIO(200_000));
      expect([...(await factory.getPendingDecreaseStakeRequest(op.address))]).to.deep.equal([0n, 0n]);
    });

    it("cancels a decrease request", async () => {
      const fx = get();
      const op = fx.operators[0];
      await fx.register(op, "content-node", "https://cn1.asix.test", AUDIO(300_000));
      const { factory } = fx.as(op);
      await expectRevert(factory.cancelDecreaseStakeRequest(), "NoPendingDecreaseStake", [op.address]);
      const req = await mined(factory.requestDecreaseStake(AUDIO(50_000)));
      const expiry = BigInt(req.blockNumber) + fx.params.decreaseStakeLockup;
      const receipt = await mined(factory.cancelDecreaseStakeRequest());
      expect(eventsOf(receipt, factory.interface, "DecreaseStakeRequestCancelled")[0].toArray()).to.deep.equal([
        op.address,
        AUDIO(50_000),
        expiry,
      ]);
      await fx.mine(20);
      await expectRevert(factory.decreaseStake(), "NoPendingDecreaseStake", [op.address]);
    });
  });

  describe("deregister", () => {
    it("frees the endpoint and queues the whole stake when the last node goes", async () => {
      const fx = get();
      const op = fx.operators[0];
      await fx.register(op, "content-node", "https://cn1.asix.test", AUDIO(300_000));
      const { factory, token, staking } = fx.as(op);
      const receipt = await mined(factory.deregister(CONTENT, "https://cn1.asix.test"));
      expect(eventsOf(receipt, factory.interface, "DeregisteredServiceProvider")[0].toArray()).to.deep.equal([
        1n,
        CONTENT,
        op.address,
        "https://cn1.asix.test",
        AUDIO(300_000),
      ]);
      expect(await factory.getServiceProviderIdFromEndpoint("https://cn1.asix.test")).to.equal(0n);
      expect((await factory.getServiceEndpointInfo(CONTENT, 1n)).owner).to.equal(ZeroAddress);
      expect(await factory.getServiceProviderIdsFromAddress(op.address, CONTENT)).to.deep.equal([]);
      expect((await factory.getServiceProviderDetails(op.address)).numberOfEndpoints).to.equal(0n);
      const expiry = BigInt(receipt.blockNumber) + fx.params.decreaseStakeLockup;
      expect([...(await factory.getPendingDecreaseStakeRequest(op.address))]).to.deep.equal([AUDIO(300_000), expiry]);

      await fx.mine(fx.params.decreaseStakeLockup);
      await mined(factory.decreaseStake());
      expect(await token.balanceOf(op.address)).to.equal(AUDIO(300_000));
      expect(await staking.totalStakedFor(op.address)).to.equal(0n);
      // the endpoint can be taken again
      await fx.register(fx.operators[1], "content-node", "https://cn1.asix.test", MIN);
    });

    it("rejects deregistering someone else's node or an unknown one", async () => {
      const fx = get();
      const [op, other] = fx.operators;
      await fx.register(op, "content-node", "https://cn1.asix.test", MIN);
      await fx.register(other, "discovery-node", "https://dn1.asix.test", MIN);
      const { factory } = fx.as(other);
      await expectRevert(factory.deregister(CONTENT, "https://cn1.asix.test"), "NotEndpointOwner", [
        "https://cn1.asix.test",
        op.address,
        other.address,
      ]);
      await expectRevert(factory.deregister(CONTENT, "https://none.asix.test"), "EndpointNotRegistered", [CONTENT, "https://none.asix.test"]);
      // same id (1) under the other type is another node
      await expectRevert(factory.deregister(CONTENT, "https://dn1.asix.test"), "EndpointNotRegistered", [CONTENT, "https://dn1.asix.test"]);
    });

    it("keeps the stake within the remaining endpoints' maximum", async () => {
      const fx = get();
      const op = fx.operators[0];
      await fx.register(op, "content-node", "https://cn1.asix.test", AUDIO(8_000_000));
      await approve(fx, op, MIN);
      const { factory } = fx.as(op);
      await mined(factory.register(DISCOVERY, "https://dn1.asix.test", MIN, ZeroAddress));
      await expectRevert(factory.deregister(CONTENT, "https://cn1.asix.test"), "StakeAboveMaximum", [AUDIO(8_200_000), DN_MAX]);
      await mined(factory.deregister(DISCOVERY, "https://dn1.asix.test"));
      expect([...(await factory.getPendingDecreaseStakeRequest(op.address))]).to.deep.equal([0n, 0n]);
    });
  });

  describe("endpoint, wallet and deployer cut", () => {
    it("moves a node to a new endpoint and changes its delegate owner wallet", async () => {
      const fx = get();
      const [op, other] = fx.operators;
      await fx.register(op, "content-node", "https://cn1.asix.test", MIN);
      await fx.register(other, "content-node", "https://cn2.asix.test", MIN);
      const { factory } = fx.as(op);
      const receipt = await mined(factory.updateEndpoint(CONTENT, "https://cn1.asix.test", "https://cn1b.asix.test"));
      expect(eventsOf(receipt, factory.interface, "EndpointUpdated")[0].toArray()).to.deep.equal([
        CONTENT,
        op.address,
        "https://cn1.asix.test",
        "https://cn1b.asix.test",
        1n,
      ]);
      expect(await factory.getServiceProviderIdFromEndpoint("https://cn1b.asix.test")).to.equal(1n);
      expect(await factory.getServiceProviderIdFromEndpoint("https://cn1.asix.test")).to.equal(0n);
      expect((await factory.getServiceEndpointInfo(CONTENT, 1n)).endpoint).to.equal("https://cn1b.asix.test");
      await expectRevert(factory.updateEndpoint(CONTENT, "https://cn1b.asix.test", "https://cn2.asix.test"), "EndpointAlreadyRegistered", [
        "https://cn2.asix.test",
        2n,
      ]);
      await expectRevert(factory.updateEndpoint(CONTENT, "https://cn2.asix.test", "https://x.asix.test"), "NotEndpointOwner");

      const wallet = Wallet.createRandom().address;
      const updated = await mined(factory.updateDelegateOwnerWallet(CONTENT, "https://cn1b.asix.test", wallet));
      expect(eventsOf(updated, factory.interface, "DelegateOwnerWalletUpdated")[0].toArray()).to.deep.equal([op.address, CONTENT, 1n, wallet]);
      expect((await factory.getServiceEndpointInfo(CONTENT, 1n)).delegateOwnerWallet).to.equal(wallet);
      await expectRevert(factory.updateDelegateOwnerWallet(CONTENT, "https://cn1b.asix.test", ZeroAddress), "ZeroAddress", []);
    });

    it("changes the deployer cut only after its lockup", async () => {
      const fx = get();
      const op = fx.operators[0];
      await fx.register(op, "content-node", "https://cn1.asix.test", MIN);
      const { factory } = fx.as(op);
      await expectRevert(factory.requestUpdateDeployerCut(101n), "DeployerCutTooHigh", [101n, 100n]);
      await expectRevert(factory.updateDeployerCut(), "NoPendingDeployerCutUpdate", [op.address]);
      await expectRevert(fx.as(fx.operators[1]).factory.requestUpdateDeployerCut(5n), "NotAServiceProvider", [fx.operators[1].address]);
      const req = await mined(factory.requestUpdateDeployerCut(15n));
      const expiry = BigInt(req.blockNumber) + fx.params.deployerCutLockup;
      expect(eventsOf(req, factory.interface, "DeployerCutUpdateRequested")[0].toArray()).to.deep.equal([op.address, 15n, expiry]);
      expect([...(await factory.getPendingUpdateDeployerCutRequest(op.address))]).to.deep.equal([15n, expiry]);
      await expectRevert(factory.requestUpdateDeployerCut(20n), "DeployerCutUpdatePending", [op.address, 15n, expiry]);
      await expectRevert(factory.updateDeployerCut(), "LockupNotEnded", [expiry, BigInt(await fx.blockNumber()) + 1n]);
      await fx.mine(fx.params.deployerCutLockup);
      const done = await mined(factory.updateDeployerCut());
      expect(eventsOf(done, factory.interface, "ServiceProviderCutUpdated")[0].toArray()).to.deep.equal([op.address, 15n]);
      expect((await factory.getServiceProviderDetails(op.address)).deployerCut).to.equal(15n);

      await mined(factory.requestUpdateDeployerCut(30n));
      const cancelled = await mined(factory.cancelUpdateDeployerCut());
      expect(eventsOf(cancelled, factory.interface, "DeployerCutUpdateRequestCancelled")[0].toArray()).to.deep.equal([op.address, 30n, 15n]);
      await expectRevert(factory.cancelUpdateDeployerCut(), "NoPendingDeployerCutUpdate", [op.address]);
    });
  });

  describe("parameters and hooks", () => {
    it("changes lockups only through Governance", async () => {
      const fx = get();
      const { factory } = fx.as(fx.deployer);
      await expectRevert(factory.updateDecreaseStakeLockupDuration(1n), "NotGovernance", [fx.deployer.address]);
      await expectRevert(factory.updateDeployerCutLockupDuration(1n), "NotGovernance", [fx.deployer.address]);
      // the decrease lockup must outlast a proposal (voting period 10 + execution delay 5)
      await expectGovernedRevert(
        fx.governed("serviceProviderFactory", "updateDecreaseStakeLockupDuration(uint256)", ["uint256"], [15n]),
        "LockupTooShort",
        [15n, 16n],
      );
      const a = await fx.governed("serviceProviderFactory", "updateDecreaseStakeLockupDuration(uint256)", ["uint256"], [21n]);
      expect(eventsOf(a, factory.interface, "DecreaseStakeLockupDurationUpdated")[0].toArray()).to.deep.equal([21n]);
      const b = await fx.governed("serviceProviderFactory", "updateDeployerCutLockupDuration(uint256)", ["uint256"], [4n]);
      expect(eventsOf(b, factory.interface, "DeployerCutLockupDurationUpdated")[0].toArray()).to.deep.equal([4n]);
      expect(await factory.decreaseStakeLockupDuration()).to.equal(21n);
      expect(await factory.deployerCutLockupDuration()).to.equal(4n);
    });

    it("lets only DelegateManager set an operator's stake", async () => {
      const fx = get();
      await expectRevert(fx.as(fx.deployer).factory.updateServiceProviderStake(fx.deployer.address, 1n), "CallerNotAllowed", [
        fx.deployer.address,
      ]);
    });

    it("registerServiceProvider tops up only what the operator lacks", async () => {
      const fx = get();
      const op = fx.operators[2];
      await fx.fund(op, AUDIO(150_000));
      await registerServiceProvider({
        contracts: fx.contracts,
        deployer: fx.deployer,
        operator: op,
        serviceType: "content-node",
        endpoint: "https://cn3.asix.test",
        stake: MIN,
      });
      expect(await fx.as(op).token.balanceOf(op.address)).to.equal(0n);
      expect(await fx.as(op).staking.totalStakedFor(op.address)).to.equal(MIN);
    });
  });
});
