import { expect } from "chai";
import { encodeBytes32String, Wallet, ZeroAddress } from "ethers";
import { ETH_REGISTRY_KEYS, INITIAL_SERVICE_VERSION, MAINNET_ETH_PARAMS, signStakingPermit } from "../../devnet/deployEth";
import { AUDIO, CONTENT, DISCOVERY, eventsOf, expectGovernedRevert, expectRevert, mined, useEthFixture } from "./fixture";
import { COVERAGE_HITS_ENV } from "../../devnet/coverageHits";

describe("eth-contracts: deployment, token, registry, service types, staking", () => {
  const get = useEthFixture();

  describe("deployEthContracts", () => {
    it("registers every contract under its key and hands Governance the parameters", async () => {
      const fx = get();
      const { registry, serviceTypeManager, factory, delegateManager, claimsManager, governance } = fx.as(fx.deployer);
      const expected: Record<keyof typeof ETH_REGISTRY_KEYS, string> = {
        registry: fx.contracts.registry,
        token: fx.contracts.token,
        serviceTypeManager: fx.contracts.serviceTypeManager,
        staking: fx.contracts.staking,
        serviceProviderFactory: fx.contracts.serviceProviderFactory,
        delegateManager: fx.contracts.delegateManager,
        claimsManager: fx.contracts.claimsManager,
        governance: fx.contracts.governance,
      };
      for (const [key, address] of Object.entries(expected)) {
        expect(await registry.getContract(ETH_REGISTRY_KEYS[key as keyof typeof ETH_REGISTRY_KEYS])).to.equal(address);
      }
      for (const governed of [registry, serviceTypeManager, factory, delegateManager, claimsManager]) {
        expect(await governed.governance()).to.equal(fx.contracts.governance);
      }
      expect(await governance.guardian()).to.equal(fx.deployer.address);
      expect(fx.contracts.deployBlock).to.be.greaterThan(0);
      const p = fx.params;
      expect(await factory.decreaseStakeLockupDuration()).to.equal(p.decreaseStakeLockup);
      expect(await factory.deployerCutLockupDuration()).to.equal(p.deployerCutLockup);
      expect(await delegateManager.undelegateLockupDuration()).to.equal(p.undelegateLockup);
      expect(await delegateManager.removeDelegatorLockupDuration()).to.equal(p.removeDelegatorLockup);
      expect(await delegateManager.maxDelegators()).to.equal(p.maxDelegators);
      expect(await delegateManager.minDelegationAmount()).to.equal(p.minDelegation);
      expect(await claimsManager.fundingRoundBlockDiff()).to.equal(p.fundingRoundBlocks);
      expect(await claimsManager.fundingAmount()).to.equal(p.fundingAmount);
      expect(await governance.votingPeriod()).to.equal(p.votingPeriod);
      expect(await governance.executionDelay()).to.equal(p.executionDelay);
      expect(await governance.quorumPercent()).to.equal(p.quorumPercent);
    });

    it("keeps every contract under the 24 KiB code size limit", async function () {
      // Under `npm run coverage` the bytecode carries probes: its size says nothing about the contracts'.
      if (process.env[COVERAGE_HITS_ENV]) this.skip();
      const fx = get();
      const { deployBlock, ...addresses } = fx.contracts;
      for (const [name, address] of Object.entries(addresses)) {
        const size = ((await fx.provider.getCode(address)).length - 2) / 2;
        expect(size, name).to.be.greaterThan(0);
        expect(size, name).to.be.at.most(24_576);
      }
      expect(deployBlock).to.be.greaterThan(0);
    });
  });

  describe("AsixToken", () => {
    it("is Asix/AUDIO with 18 decimals and 1,000,000,000 to the deployer", async () => {
      const fx = get();
      const { token } = fx.as(fx.deployer);
      expect(await token.name()).to.equal("Asix");
      expect(await token.symbol()).to.equal("AUDIO");
      expect(await token.decimals()).to.equal(18n);
      expect(await token.totalSupply()).to.equal(AUDIO(1_000_000_000));
      expect(await token.balanceOf(fx.deployer.address)).to.equal(AUDIO(1_000_000_000));
    });

    it("rejects a mint by anyone but the ClaimsManager", async () => {
      const fx = get();
      await expectRevert(fx.as(fx.deployer).token.mint(fx.deployer.address, 1n), "NotClaimsManager", [fx.deployer.address]);
    });

    it("accepts an EIP-2612 permit for the Staking contract", async () => {
      const fx = get();
      const holder = fx.delegators[0];
      const permit = await signStakingPermit(holder, fx.contracts, AUDIO(5));
      const { token } = fx.as(fx.deployer);
      await mined(token.permit(holder.address, fx.contracts.staking, AUDIO(5), permit.deadline, permit.v, permit.r, permit.s));
      expect(await token.allowance(holder.address, fx.contracts.staking)).to.equal(AUDIO(5));
      expect(await token.nonces(holder.address)).to.equal(1n);
    });
  });

  describe("Registry", () => {
    it("adds, upgrades and removes contracts only through Governance", async () => {
      const fx = get();
      const { registry } = fx.as(fx.deployer);
      const key = encodeBytes32String("Extra");
      const a = Wallet.createRandom().address;
      const b = Wallet.createRandom().address;
      await expectRevert(registry.addContract(key, a), "NotGovernance", [fx.deployer.address]);
      await expectRevert(registry.upgradeContract(ETH_REGISTRY_KEYS.token, a), "NotGovernance", [fx.deployer.address]);
      await expectRevert(registry.removeContract(ETH_REGISTRY_KEYS.token), "NotGovernance", [fx.deployer.address]);
      // the guardian cannot repoint contracts: only a proposal reaches the Registry
      await expectRevert(
        fx.governed("registry", "addContract(bytes32,address)", ["bytes32", "address"], [key, a]),
        "GuardianCallForbidden",
        [ETH_REGISTRY_KEYS.registry, registry.interface.getFunction("addContract")!.selector],
      );
      const voter = fx.operators[0];
      await fx.register(voter, "content-node", "https://cn1.asix.test", AUDIO(200_000));
      const governed = (sig: string, types: string[], values: unknown[]) => fx.passProposal([voter], "registry", sig, types, values);

      const added = await governed("addContract(bytes32,address)", ["bytes32", "address"], [key, a]);
      expect(eventsOf(added, registry.interface, "ContractAdded")[0].toArray()).to.deep.equal([key, a]);
      expect(await registry.getContract(key)).to.equal(a);
      await expectRevert(governed("addContract(bytes32,address)", ["bytes32", "address"], [key, b]), "ContractAlreadyRegistered", [key, a]);
      const upgraded = await governed("upgradeContract(bytes32,address)", ["bytes32", "address"], [key, b]);
      expect(eventsOf(upgraded, registry.interface, "ContractUpgraded")[0].toArray()).to.deep.equal([key, a, b]);
      expect(await registry.getContract(key)).to.equal(b);
      const removed = await governed("removeContract(bytes32)", ["bytes32"], [key]);
      expect(eventsOf(removed, registry.interface, "ContractRemoved")[0].toArray()).to.deep.equal([key, b]);
      expect(await registry.getContract(key)).to.equal(ZeroAddress);
      await expectRevert(governed("removeContract(bytes32)", ["bytes32"], [key]), "ContractNotRegistered", [key]);
      await expectRevert(governed("upgradeContract(bytes32,address)", ["bytes32", "address"], [key, a]), "ContractNotRegistered", [key]);
    });

    it("moves its governance role in two steps, through a proposal, to an address that accepts it", async () => {
      const fx = get();
      const { registry } = fx.as(fx.deployer);
      await expectRevert(registry.setGovernanceAddress(fx.deployer.address), "NotGovernance", [fx.deployer.address]);
      // the guardian cannot hand a role on
      await expectRevert(
        fx.governed("registry", "setGovernanceAddress(address)", ["address"], [fx.deployer.address]),
        "GuardianCallForbidden",
        [ETH_REGISTRY_KEYS.registry, registry.interface.getFunction("setGovernanceAddress")!.selector],
      );
      const voter = fx.operators[0];
      await fx.register(voter, "content-node", "https://cn1.asix.test", AUDIO(200_000));
      const receipt = await fx.passProposal([voter], "registry", "setGovernanceAddress(address)", ["address"], [fx.deployer.address]);
      expect(eventsOf(receipt, registry.interface, "GovernanceTransferStarted")[0].toArray()).to.deep.equal([
        fx.contracts.governance,
        fx.deployer.address,
      ]);
      // offered, not moved: a mistyped address would never accept, and the role stays put
      expect(await registry.governance()).to.equal(fx.contracts.governance);
      expect(await registry.pendingGovernance()).to.equal(fx.deployer.address);
      await expectRevert(fx.as(voter).registry.acceptGovernance(), "NotPendingGovernance", [voter.address, fx.deployer.address]);
      const accepted = await mined(registry.acceptGovernance());
      expect(eventsOf(accepted, registry.interface, "GovernanceAddressUpdated")[0].toArray()).to.deep.equal([
        fx.contracts.governance,
        fx.deployer.address,
      ]);
      expect(await registry.governance()).to.equal(fx.deployer.address);
      expect(await registry.pendingGovernance()).to.equal(ZeroAddress);
      await expectRevert(registry.setGovernanceAddress(ZeroAddress), "ZeroAddress", []);
    });
  });

  describe("ServiceTypeManager", () => {
    it("starts with content-node and discovery-node at the configured bounds and version 0.1.0", async () => {
      const fx = get();
      const { serviceTypeManager: types } = fx.as(fx.deployer);
      expect(await types.getValidServiceTypes()).to.deep.equal([CONTENT, DISCOVERY]);
      expect([...(await types.getServiceTypeInfo(CONTENT))]).to.deep.equal([true, fx.params.contentNode.min, fx.params.contentNode.max]);
      expect([...(await types.getServiceTypeInfo(DISCOVERY))]).to.deep.equal([
        true,
        fx.params.discoveryNode.min,
        fx.params.discoveryNode.max,
      ]);
      expect(await types.serviceTypeIsValid(CONTENT)).to.equal(true);
      expect(await types.getCurrentVersion(CONTENT)).to.equal(INITIAL_SERVICE_VERSION);
      expect(await types.getNumberOfVersions(DISCOVERY)).to.equal(1n);
      expect(await types.getVersion(DISCOVERY, 0)).to.equal(INITIAL_SERVICE_VERSION);
      expect(await types.serviceVersionIsValid(DISCOVERY, INITIAL_SERVICE_VERSION)).to.equal(true);
    });

    it("adds, updates and removes types and versions through Governance only", async () => {
      const fx = get();
      const { serviceTypeManager: types } = fx.as(fx.deployer);
      const relay = encodeBytes32String("relay");
      const v2 = encodeBytes32String("0.2.0");
      await expectRevert(types.addServiceType(relay, 1n, 2n), "NotGovernance", [fx.deployer.address]);
      await expectRevert(types.setServiceVersion(CONTENT, v2), "NotGovernance", [fx.deployer.address]);
      const stm = (sig: string, t: string[], v: unknown[]) => fx.governed("serviceTypeManager", sig, t, v);

      const added = await stm("addServiceType(bytes32,uint256,uint256)", ["bytes32", "uint256", "uint256"], [relay, AUDIO(1), AUDIO(2)]);
      expect(eventsOf(added, types.interface, "ServiceTypeAdded")[0].toArray()).to.deep.equal([relay, AUDIO(1), AUDIO(2)]);
      await expectGovernedRevert(
        stm("addServiceType(bytes32,uint256,uint256)", ["bytes32", "uint256", "uint256"], [relay, 1n, 2n]),
        "ServiceTypeAlreadyExists",
        [relay],
      );
      await expectGovernedRevert(
        stm("addServiceType(bytes32,uint256,uint256)", ["bytes32", "uint256", "uint256"], [encodeBytes32String("x"), 5n, 4n]),
        "InvalidStakeBounds",
        [5n, 4n],
      );
      await stm("updateServiceType(bytes32,uint256,uint256)", ["bytes32", "uint256", "uint256"], [relay, AUDIO(3), AUDIO(4)]);
      expect([...(await types.getServiceTypeInfo(relay))]).to.deep.equal([true, AUDIO(3), AUDIO(4)]);

      await stm("setServiceVersion(bytes32,bytes32)", ["bytes32", "bytes32"], [CONTENT, v2]);
      expect(await types.getCurrentVersion(CONTENT)).to.equal(v2);
      await expectGovernedRevert(
        stm("setServiceVersion(bytes32,bytes32)", ["bytes32", "bytes32"], [CONTENT, v2]),
        "ServiceVersionAlreadyExists",
        [CONTENT, v2],
      );
      await stm("removeServiceVersion(bytes32,bytes32)", ["bytes32", "bytes32"], [CONTENT, v2]);
      expect(await types.getCurrentVersion(CONTENT)).to.equal(INITIAL_SERVICE_VERSION);
      await expectGovernedRevert(
        stm("removeServiceVersion(bytes32,bytes32)", ["bytes32", "bytes32"], [CONTENT, v2]),
        "ServiceVersionNotFound",
        [CONTENT, v2],
      );

      const removed = await stm("removeServiceType(bytes32)", ["bytes32"], [relay]);
      expect(eventsOf(removed, types.interface, "ServiceTypeRemoved")).to.have.length(1);
      expect(await types.getValidServiceTypes()).to.deep.equal([CONTENT, DISCOVERY]);
      await expectGovernedRevert(stm("removeServiceType(bytes32)", ["bytes32"], [relay]), "InvalidServiceType", [relay]);
    });
  });

  describe("Staking", () => {
    it("lets only the factory, DelegateManager and ClaimsManager move stake", async () => {
      const fx = get();
      const { staking } = fx.as(fx.deployer);
      const me = fx.deployer.address;
      await expectRevert(staking.stakeFor(me, 1n), "CallerNotAllowed", [me]);
      await expectRevert(staking.unstakeFor(me, 1n), "CallerNotAllowed", [me]);
      await expectRevert(staking.delegateStakeFor(me, me, 1n), "CallerNotAllowed", [me]);
      await expectRevert(staking.undelegateStakeFor(me, me, 1n), "CallerNotAllowed", [me]);
      await expectRevert(staking.stakeRewards(1n, me), "CallerNotAllowed", [me]);
      await expectRevert(staking.slash(1n, me), "CallerNotAllowed", [me]);
    });

    it("checkpoints each account's stake and the total per block", async () => {
      const fx = get();
      const [op1, op2] = fx.operators;
      const { staking } = fx.as(fx.deployer);
      await fx.register(op1, "content-node", "https://cn1.asix.test", AUDIO(200_000));
      const b1 = await fx.blockNumber();
      await fx.register(op2, "discovery-node", "https://dn1.asix.test", AUDIO(300_000));
      const b2 = await fx.blockNumber();
      await fx.fund(op1, AUDIO(50_000));
      await mined(fx.as(op1).token.approve(fx.contracts.staking, AUDIO(50_000)));
      await mined(fx.as(op1).factory.increaseStake(AUDIO(50_000)));
      const b3 = await fx.blockNumber();

      expect(await staking.totalStakedFor(op1.address)).to.equal(AUDIO(250_000));
      expect(await staking.totalStakedForAt(op1.address, b1 - 1)).to.equal(0n);
      expect(await staking.totalStakedForAt(op1.address, b1)).to.equal(AUDIO(200_000));
      expect(await staking.totalStakedForAt(op1.address, b2)).to.equal(AUDIO(200_000));
      expect(await staking.totalStakedForAt(op1.address, b3)).to.equal(AUDIO(250_000));
      expect(await staking.totalStaked()).to.equal(AUDIO(550_000));
      expect(await staking.totalStakedAt(b1)).to.equal(AUDIO(200_000));
      expect(await staking.totalStakedAt(b2)).to.equal(AUDIO(500_000));
      expect(await fx.as(fx.deployer).token.balanceOf(fx.contracts.staking)).to.equal(AUDIO(550_000));
    });
  });
});

describe("eth-contracts: mainnet parameters", () => {
  const get = useEthFixture(MAINNET_ETH_PARAMS);

  it("deploys with §4's numbers and walks a 46,523-block lockup", async () => {
    const fx = get();
    const { factory, delegateManager, claimsManager, governance, serviceTypeManager } = fx.as(fx.deployer);
    expect(await factory.decreaseStakeLockupDuration()).to.equal(46_523n);
    expect(await factory.deployerCutLockupDuration()).to.equal(53_169n);
    expect(await delegateManager.undelegateLockupDuration()).to.equal(46_523n);
    expect(await delegateManager.maxDelegators()).to.equal(175n);
    expect(await delegateManager.minDelegationAmount()).to.equal(AUDIO(100));
    expect(await claimsManager.fundingRoundBlockDiff()).to.equal(46_523n);
    expect(await claimsManager.fundingAmount()).to.equal(AUDIO("1342465.75"));
    expect([await governance.votingPeriod(), await governance.executionDelay(), await governance.quorumPercent()]).to.deep.equal([
      13_292n,
      6_646n,
      5n,
    ]);
    expect([...(await serviceTypeManager.getServiceTypeInfo(DISCOVERY))]).to.deep.equal([true, AUDIO(200_000), AUDIO(7_000_000)]);

    const op = fx.operators[0];
    await fx.register(op, "content-node", "https://cn1.asix.test", AUDIO(300_000));
    const req = await mined(fx.as(op).factory.requestDecreaseStake(AUDIO(100_000)));
    const expiry = BigInt(req.blockNumber) + 46_523n;
    await fx.mine(46_521n);
    await expectRevert(fx.as(op).factory.decreaseStake(), "LockupNotEnded", [expiry, expiry - 1n]);
    await fx.mine(1n);
    await mined(fx.as(op).factory.decreaseStake());
    expect(await fx.as(op).staking.totalStakedFor(op.address)).to.equal(AUDIO(200_000));
  });
});
