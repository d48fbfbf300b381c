import { encodeBytes32String, parseEther, Signature, type Signer, type TypedDataDomain } from "ethers";
import type { PermitSignatureStruct } from "../typechain-types/eth-contracts/ServiceProviderFactory";
import { AsixError } from "../sdk/errors";
import { ETH_CONTRACTS, type EthContractAddresses } from "../sdk/protocol/ethContracts";
import { ETH_REGISTRY_KEYS, serviceTypeBytes32, signStakingPermit, type ServiceTypeName } from "../sdk/staking/protocol";

// These live in the SDK (which never imports devnet/); re-exported for deployment code and tests.
export { ETH_REGISTRY_KEYS, serviceTypeBytes32, signStakingPermit, type ServiceTypeName };

/** Every eth-chain parameter that Governance owns. Blocks for durations, wei for amounts. */
export interface EthParams {
  decreaseStakeLockup: bigint;
  undelegateLockup: bigint;
  deployerCutLockup: bigint;
  removeDelegatorLockup: bigint;
  fundingRoundBlocks: bigint;
  fundingAmount: bigint;
  maxDelegators: bigint;
  minDelegation: bigint;
  votingPeriod: bigint;
  executionDelay: bigint;
  /** percent of the stake at the proposal's block that must vote */
  quorumPercent: bigint;
  contentNode: { min: bigint; max: bigint };
  discoveryNode: { min: bigint; max: bigint };
}

/** PROTOCOL.md §4's mainnet numbers. */
export const MAINNET_ETH_PARAMS: EthParams = {
  decreaseStakeLockup: 46_523n,
  undelegateLockup: 46_523n,
  deployerCutLockup: 53_169n,
  removeDelegatorLockup: 46_523n,
  fundingRoundBlocks: 46_523n,
  fundingAmount: parseEther("1342465.75"),
  maxDelegators: 175n,
  minDelegation: parseEther("100"),
  votingPeriod: 13_292n,
  executionDelay: 6_646n,
  quorumPercent: 5n,
  contentNode: { min: parseEther("200000"), max: parseEther("10000000") },
  discoveryNode: { min: parseEther("200000"), max: parseEther("7000000") },
};

/**
 * Same logic, short enough for a test to walk with `hardhat_mine`: lockups of 20 blocks, rounds of
 * 10. Withdrawal lockups outlast a proposal's voting period plus execution delay (10 + 5 < 20), as
 * the contracts require, so stake under a pending slash cannot leave before it executes.
 */
export const DEVNET_ETH_PARAMS: EthParams = {
  ...MAINNET_ETH_PARAMS,
  decreaseStakeLockup: 20n,
  undelegateLockup: 20n,
  deployerCutLockup: 20n,
  removeDelegatorLockup: 20n,
  fundingRoundBlocks: 10n,
  fundingAmount: parseEther("10000"),
  votingPeriod: 10n,
  executionDelay: 5n,
};

/** Addresses of the deployed eth-chain contracts. */
export interface EthContracts extends EthContractAddresses {
  /** block of the first deployment: indexers start here */
  deployBlock: number;
}

/** The version every devnet service type starts with. */
export const INITIAL_SERVICE_VERSION = encodeBytes32String("0.1.0");

/**
 * Deploy the eth-chain contracts from the bytecode TypeChain embeds (no compiler at run time), wire
 * them through the Registry, add the two service types, and finally hand the governance role of
 * every contract to Governance. The deployer stays Governance's guardian.
 */
export async function deployEthContracts(deployer: Signer, params: EthParams = DEVNET_ETH_PARAMS): Promise<EthContracts> {
  const proposalBlocks = params.votingPeriod + params.executionDelay;
  if (params.decreaseStakeLockup <= proposalBlocks || params.undelegateLockup <= proposalBlocks) {
    throw new AsixError(
      "INVALID_INPUT",
      `withdrawal lockups (${params.decreaseStakeLockup}, ${params.undelegateLockup} blocks) must outlast the voting period plus execution delay (${proposalBlocks} blocks)`,
    );
  }
  const me = await deployer.getAddress();
  const deployed = async <T extends { waitForDeployment(): Promise<unknown>; getAddress(): Promise<string>; deploymentTransaction(): { wait(): Promise<{ blockNumber: number } | null> } | null }>(
    contract: Promise<T>,
  ) => {
    const c = await contract;
    const receipt = await c.deploymentTransaction()!.wait();
    return { contract: c, address: await c.getAddress(), block: receipt!.blockNumber };
  };
  const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => {
    await (await tx).wait();
  };

  const registry = await deployed(new ETH_CONTRACTS.registry.factory(deployer).deploy(me));
  const token = await deployed(new ETH_CONTRACTS.token.factory(deployer).deploy(me, registry.address));
  const serviceTypeManager = await deployed(new ETH_CONTRACTS.serviceTypeManager.factory(deployer).deploy(me));
  const staking = await deployed(new ETH_CONTRACTS.staking.factory(deployer).deploy(registry.address, token.address));
  const factory = await deployed(
    new ETH_CONTRACTS.serviceProviderFactory.factory(deployer).deploy(registry.address, me, params.decreaseStakeLockup, params.deployerCutLockup),
  );
  const delegateManager = await deployed(
    new ETH_CONTRACTS.delegateManager.factory(deployer).deploy(
      registry.address,
      me,
      params.undelegateLockup,
      params.removeDelegatorLockup,
      params.maxDelegators,
      params.minDelegation,
    ),
  );
  const claimsManager = await deployed(
    new ETH_CONTRACTS.claimsManager.factory(deployer).deploy(registry.address, me, params.fundingRoundBlocks, params.fundingAmount),
  );
  const governance = await deployed(
    new ETH_CONTRACTS.governance.factory(deployer).deploy(registry.address, me, params.votingPeriod, params.executionDelay, params.quorumPercent),
  );

  const entries: [string, string][] = [
    [ETH_REGISTRY_KEYS.registry, registry.address],
    [ETH_REGISTRY_KEYS.token, token.address],
    [ETH_REGISTRY_KEYS.serviceTypeManager, serviceTypeManager.address],
    [ETH_REGISTRY_KEYS.staking, staking.address],
    [ETH_REGISTRY_KEYS.serviceProviderFactory, factory.address],
    [ETH_REGISTRY_KEYS.delegateManager, delegateManager.address],
    [ETH_REGISTRY_KEYS.claimsManager, claimsManager.address],
    [ETH_REGISTRY_KEYS.governance, governance.address],
  ];
  for (const [key, address] of entries) await send(registry.contract.addContract(key, address));

  const types = serviceTypeManager.contract;
  await send(types.addServiceType(serviceTypeBytes32("content-node"), params.contentNode.min, params.contentNode.max));
  await send(types.addServiceType(serviceTypeBytes32("discovery-node"), params.discoveryNode.min, params.discoveryNode.max));
  await send(types.setServiceVersion(serviceTypeBytes32("content-node"), INITIAL_SERVICE_VERSION));
  await send(types.setServiceVersion(serviceTypeBytes32("discovery-node"), INITIAL_SERVICE_VERSION));

  // From here on, parameters change only through Governance (a proposal, or its guardian): each
  // contract offers the role and Governance accepts it (a two-step hand-off).
  const handOver: [{ setGovernanceAddress(a: string): Promise<{ wait(): Promise<unknown> }> }, string][] = [
    [registry.contract, ETH_REGISTRY_KEYS.registry],
    [types, ETH_REGISTRY_KEYS.serviceTypeManager],
    [factory.contract, ETH_REGISTRY_KEYS.serviceProviderFactory],
    [delegateManager.contract, ETH_REGISTRY_KEYS.delegateManager],
    [claimsManager.contract, ETH_REGISTRY_KEYS.claimsManager],
  ];
  for (const [governed, key] of handOver) {
    await send(governed.setGovernanceAddress(governance.address));
    await send(governance.contract.acceptGovernanceOf(key));
  }

  return {
    token: token.address,
    registry: registry.address,
    serviceTypeManager: serviceTypeManager.address,
    staking: staking.address,
    serviceProviderFactory: factory.address,
    delegateManager: delegateManager.address,
    claimsManager: claimsManager.address,
    governance: governance.address,
    deployBlock: registry.block,
  };
}

/** fund `operator` with tokens from the deployer, approve/permit, register; returns the spId */
export async function registerServiceProvider(opts: {
  contracts: EthContracts;
  deployer: Signer;
  operator: Signer;
  serviceType: ServiceTypeName;
  endpoint: string;
  stake: bigint;
  delegateOwnerWallet?: string;
}): Promise<bigint> {
  const { contracts, deployer, operator, stake } = opts;
  const operatorAddress = await operator.getAddress();
  const token = ETH_CONTRACTS.token.factory.connect(contracts.token, deployer);
  const balance = await token.balanceOf(operatorAddress);
  if (balance < stake) await (await token.transfer(operatorAddress, stake - balance)).wait();

  const factory = ETH_CONTRACTS.serviceProviderFactory.factory.connect(contracts.serviceProviderFactory, operator);
  const permit = await signStakingPermit(operator, contracts, stake);
  const tx = await factory.registerWithPermit(
    serviceTypeBytes32(opts.serviceType),
    opts.endpoint,
    stake,
    opts.delegateOwnerWallet ?? operatorAddress,
    permit,
  );
  const receipt = (await tx.wait())!;
  for (const log of receipt.logs) {
    const parsed = factory.interface.parseLog(log);
    if (parsed?.name === "RegisteredServiceProvider") return parsed.args.spId as bigint;
  }
  throw new AsixError("CHAIN_REVERTED", `register ${opts.endpoint}: no RegisteredServiceProvider event in ${receipt.hash}`);
}
