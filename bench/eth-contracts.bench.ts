/**
 * Gas of every staking, delegation, claim and governance operation on the eth-chain contracts,
 * measured from real receipts on an in-process chain deployed with the devnet parameters. The
 * baseline, measured in the same run, is a plain ERC-20 transfer of AUDIO: each figure is also
 * given as a multiple of it. Permit entry points are compared with approve + call (two transactions).
 * claimRewards is measured with 0, 10 and 50 delegators, since it walks the delegator list.
 * The gasless entry points (delegateStakeFor, increaseStakeFor) are sent by another account, as the
 * identity service's eth relay sends them: signature check, nonce, permit and the action.
 */
import { AbiCoder, JsonRpcProvider, JsonRpcSigner, MaxUint256, parseEther, toBeHex, Wallet, type TransactionResponse } from "ethers";
import { startChain } from "../devnet/chain";
import { devnetPrivateKey, DEVNET_ROLES } from "../devnet/accounts";
import {
  deployEthContracts,
  DEVNET_ETH_PARAMS,
  ETH_REGISTRY_KEYS,
  serviceTypeBytes32,
  signStakingPermit,
} from "../devnet/deployEth";
import { signDelegateStakeFor, signIncreaseStakeFor } from "../sdk/staking/protocol";
import {
  AsixToken__factory,
  ClaimsManager__factory,
  DelegateManager__factory,
  Governance__factory,
  ServiceProviderFactory__factory,
} from "../typechain-types";
import { round, writeResult } from "./util";

const AUDIO = (n: number) => parseEther(String(n));
const CONTENT = serviceTypeBytes32("content-node");
const abi = AbiCoder.defaultAbiCoder();

async function main() {
  const chain = await startChain({ chainId: 31337 });
  const provider = new JsonRpcProvider(chain.url, 31337, { staticNetwork: true, cacheTimeout: -1, batchStallTime: 0 });
  const wallet = (i: number) => new Wallet(devnetPrivateKey(i), provider);
  const deployer = wallet(DEVNET_ROLES.deployer);
  const params = DEVNET_ETH_PARAMS;
  const contracts = await deployEthContracts(deployer, params);
  const as = (w: Wallet) => ({
    token: AsixToken__factory.connect(contracts.token, w),
    factory: ServiceProviderFactory__factory.connect(contracts.serviceProviderFactory, w),
    dm: DelegateManager__factory.connect(contracts.delegateManager, w),
    cm: ClaimsManager__factory.connect(contracts.claimsManager, w),
    gov: Governance__factory.connect(contracts.governance, w),
  });
  const mine = (n: bigint) => provider.send("hardhat_mine", [toBeHex(n)]);
  const gas: { operation: string; gas: number; note?: string }[] = [];
  const measure = async (operation: string, tx: Promise<TransactionResponse>, note?: string) => {
    const receipt = await (await tx).wait();
    gas.push({ operation, gas: Number(receipt!.gasUsed), note });
    return receipt!;
  };
  const fund = async (to: string, amount: bigint) => (await as(deployer).token.transfer(to, amount)).wait();

  const [op1, op2, op3] = DEVNET_ROLES.contentNodes.map(wallet);
  const users = DEVNET_ROLES.users.map(wallet);

  // baseline
  await fund(op1.address, AUDIO(1_000_000));
  await measure("baseline: ERC-20 transfer", as(op1).token.transfer(op2.address, AUDIO(1)));
  await measure("baseline: ERC-20 approve", as(op1).token.approve(contracts.staking, MaxUint256));

  // service provider lifecycle
  await measure("register (approved)", as(op1).factory.register(CONTENT, "https://cn1.bench", AUDIO(300_000), op1.address));
  await fund(op2.address, AUDIO(1_000_000));
  const permit = await signStakingPermit(op2, contracts, AUDIO(300_000));
  await measure("registerWithPermit", as(op2).factory.registerWithPermit(CONTENT, "https://cn2.bench", AUDIO(300_000), op2.address, permit), "one tx instead of approve + register");
  await measure("increaseStake", as(op1).factory.increaseStake(AUDIO(1_000)));
  const permit2 = await signStakingPermit(op2, contracts, AUDIO(1_000));
  await measure("increaseStakeWithPermit", as(op2).factory.increaseStakeWithPermit(AUDIO(1_000), permit2));
  // the relayer pays: the deployer sends what op2 signed
  const relayed = async (call: { to: string; data: string }) => deployer.sendTransaction({ to: call.to, data: call.data });
  await measure("increaseStakeFor (relayed)", relayed(await signIncreaseStakeFor(op2, contracts, AUDIO(1_000))), "permit + signed IncreaseStake, sent by a relayer");
  await measure("requestDecreaseStake", as(op1).factory.requestDecreaseStake(AUDIO(1_000)));
  await measure("cancelDecreaseStakeRequest", as(op1).factory.cancelDecreaseStakeRequest());
  await (await as(op1).factory.requestDecreaseStake(AUDIO(1_000))).wait();
  await mine(params.decreaseStakeLockup);
  await measure("decreaseStake", as(op1).factory.decreaseStake());
  await measure("updateEndpoint", as(op1).factory.updateEndpoint(CONTENT, "https://cn1.bench", "https://cn1b.bench"));
  await measure("updateDelegateOwnerWallet", as(op1).factory.updateDelegateOwnerWallet(CONTENT, "https://cn1b.bench", op3.address));
  await measure("requestUpdateDeployerCut", as(op1).factory.requestUpdateDeployerCut(10n));
  await mine(params.deployerCutLockup);
  await measure("updateDeployerCut", as(op1).factory.updateDeployerCut());

  // delegation
  const [d1, d2] = users;
  for (const d of [d1, d2]) {
    await fund(d.address, AUDIO(10_000));
    await (await as(d).token.approve(contracts.staking, MaxUint256)).wait();
  }
  await measure("delegateStake (new delegator)", as(d1).dm.delegateStake(op1.address, AUDIO(1_000)));
  await measure("delegateStake (existing delegator)", as(d1).dm.delegateStake(op1.address, AUDIO(1_000)));
  const d3 = users[2];
  await fund(d3.address, AUDIO(1_000));
  const permit3 = await signStakingPermit(d3, contracts, AUDIO(1_000));
  await measure("delegateStakeWithPermit (new delegator)", as(d3).dm.delegateStakeWithPermit(op1.address, AUDIO(1_000), permit3));
  const d4 = users[3];
  await fund(d4.address, AUDIO(2_000));
  await measure(
    "delegateStakeFor (new delegator, relayed)",
    relayed(await signDelegateStakeFor(d4, contracts, op1.address, AUDIO(1_000))),
    "permit + signed DelegateStake, sent by a relayer",
  );
  await measure("delegateStakeFor (existing delegator, relayed)", relayed(await signDelegateStakeFor(d4, contracts, op1.address, AUDIO(1_000))));
  await measure("requestUndelegateStake", as(d1).dm.requestUndelegateStake(op1.address, AUDIO(500)));
  await measure("cancelUndelegateStakeRequest", as(d1).dm.cancelUndelegateStakeRequest());
  await (await as(d1).dm.requestUndelegateStake(op1.address, AUDIO(500))).wait();
  await mine(params.undelegateLockup);
  await measure("undelegateStake", as(d1).dm.undelegateStake());
  await (await as(d2).dm.delegateStake(op1.address, AUDIO(1_000))).wait();
  await measure("requestRemoveDelegator", as(op1).dm.requestRemoveDelegator(op1.address, d2.address));
  await mine(params.removeDelegatorLockup);
  await measure("removeDelegator", as(op1).dm.removeDelegator(op1.address, d2.address));

  // rewards, with a growing delegator list
  const op4 = wallet(DEVNET_ROLES.discoveryNode);
  await fund(op4.address, AUDIO(1_000_000));
  await (await as(op4).token.approve(contracts.staking, MaxUint256)).wait();
  await (await as(op4).factory.register(serviceTypeBytes32("discovery-node"), "https://dn.bench", AUDIO(300_000), op4.address)).wait();
  const extra = Array.from({ length: 50 }, () => new Wallet(Wallet.createRandom().privateKey, provider));
  for (const w of extra) {
    await provider.send("hardhat_setBalance", [w.address, toBeHex(10n ** 20n)]);
    await fund(w.address, AUDIO(100));
    await (await as(w).token.approve(contracts.staking, MaxUint256)).wait();
  }
  const claimWith = async (delegators: number, sp: Wallet) => {
    await mine(params.fundingRoundBlocks);
    await (await as(deployer).cm.initiateRound()).wait();
    await measure(`claimRewards (${delegators} delegators)`, as(deployer).dm.claimRewards(sp.address));
    for (const o of [op1, op2, op4]) if (await as(deployer).cm.claimPending(o.address)) await (await as(deployer).dm.claimRewards(o.address)).wait();
  };
  await measure("initiateRound", as(deployer).cm.initiateRound(), "mints the round's funding");
  for (const o of [op1, op2, op4]) await (await as(deployer).dm.claimRewards(o.address)).wait();
  await claimWith(0, op2);
  for (const w of extra.slice(0, 10)) await (await as(w).dm.delegateStake(op4.address, AUDIO(100))).wait();
  await claimWith(10, op4);
  for (const w of extra.slice(10)) await (await as(w).dm.delegateStake(op4.address, AUDIO(100))).wait();
  await claimWith(50, op4);

  // governance
  const call = (types: string[], values: unknown[]) => abi.encode(types, values);
  // Only Governance slashes (the guardian may not): the call is sent as the Governance contract, as
  // an approved proposal's evaluation sends it.
  await provider.send("hardhat_impersonateAccount", [contracts.governance]);
  await provider.send("hardhat_setBalance", [contracts.governance, toBeHex(10n ** 20n)]);
  const asGovernance = DelegateManager__factory.connect(contracts.delegateManager, new JsonRpcSigner(provider, contracts.governance));
  await measure("slash (50 delegators)", asGovernance.slash(AUDIO(1_000), op4.address), "sent by Governance (a proposal's call)");
  const submitted = await measure(
    "submitProposal",
    as(op1).gov.submitProposal(ETH_REGISTRY_KEYS.claimsManager, 0n, "updateFundingAmount(uint256)", call(["uint256"], [AUDIO(5_000)]), "Halve rounds", "bench"),
  );
  const id = as(op1).gov.interface.parseLog(submitted.logs[0])!.args.proposalId as bigint;
  await measure("submitVote", as(op1).gov.submitVote(id, 2n));
  await (await as(op2).gov.submitVote(id, 2n)).wait();
  await (await as(op4).gov.submitVote(id, 2n)).wait();
  await mine(params.votingPeriod + params.executionDelay);
  await measure("evaluateProposalOutcome (executes)", as(op1).gov.evaluateProposalOutcome(id));
  const second = await (await as(op1).gov.submitProposal(ETH_REGISTRY_KEYS.claimsManager, 0n, "updateFundingAmount(uint256)", call(["uint256"], [1n]), "x", "y")).wait();
  const id2 = as(op1).gov.interface.parseLog(second!.logs[0])!.args.proposalId as bigint;
  await measure("vetoProposal", as(deployer).gov.vetoProposal(id2));
  await measure("deregister (last endpoint)", as(op2).factory.deregister(CONTENT, "https://cn2.bench"), "queues the whole stake for withdrawal");

  const baseline = gas[0].gas;
  const table = gas.map((g) => ({ ...g, xTransfer: round(g.gas / baseline, 2) }));
  const approve = gas.find((g) => g.operation === "baseline: ERC-20 approve")!.gas;
  const registerApproved = gas.find((g) => g.operation === "register (approved)")!.gas;
  const registerPermit = gas.find((g) => g.operation === "registerWithPermit")!.gas;
  console.table(table.map((t) => ({ operation: t.operation, gas: t.gas, "x transfer": t.xTransfer })));
  writeResult("eth-contracts", {
    chain: "in-process Hardhat/EDR, devnet parameters",
    baseline: { operation: "ERC-20 transfer of AUDIO", gas: baseline },
    permitVsApprove: {
      approvePlusRegister: approve + registerApproved,
      registerWithPermit: registerPermit,
      transactions: { approvePlusRegister: 2, registerWithPermit: 1 },
    },
    operations: table,
  });
  provider.destroy();
  await chain.close();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 0; // benchmarks report; they never fail
});

