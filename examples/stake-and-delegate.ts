// Register a content node with stake, delegate to it without gas, run a funding round and claim:
// `npx tsx examples/stake-and-delegate.ts` with a devnet up (npx asix devnet up).
import { Wallet } from "ethers";
import { createAsix, formatAudio, parseAudio } from "../sdk";
import { findState } from "../devnet/state";
import { mineEthChainTo } from "./mine-blocks";

export async function stakeAndDelegate(devnet = findState(), log: (line: string) => void = console.log) {
  // On a devnet, account 0 holds the AUDIO supply and account 18 is a funded spare (it pays its own gas).
  const treasury = createAsix({ network: devnet, wallet: devnet.accounts[0].privateKey });
  const operator = createAsix({ network: devnet, wallet: devnet.accounts[18].privateKey });
  // The delegator holds AUDIO but no ETH: its delegation goes through the eth relay.
  const delegatorWallet = Wallet.createRandom();
  const delegator = createAsix({ network: devnet, wallet: delegatorWallet });
  const operatorAddress = devnet.accounts[18].address;

  await treasury.staking.transfer(operatorAddress, parseAudio("250000"));
  await treasury.staking.transfer(delegatorWallet.address, parseAudio("1000"));
  // A reward left unclaimed from an earlier round would block stake changes until it is claimed.
  if ((await operator.staking.getClaimable()).pending) await operator.staking.claimRewards();

  const endpoint = `https://content-${Date.now()}.example.com`;
  const { spId } = await operator.staking.register({ type: "content-node", endpoint, stake: parseAudio("200000") });
  log(`registered content node ${spId} at ${endpoint}`);

  const { delegatedAmount } = await delegator.staking.delegate(operatorAddress, parseAudio("500"), { gasless: true });
  log(`delegated ${formatAudio(delegatedAmount)} AUDIO to ${operatorAddress} without gas`);

  // A round can start once fundingRoundBlocks have passed since the last one.
  const params = await operator.staking.getParameters();
  await mineEthChainTo(devnet, params.lastFundedBlock + params.fundingRoundBlocks + 1);
  const { round } = await operator.staking.initiateRound();
  const claim = await operator.staking.claimRewards();
  log(`round ${round}: ${formatAudio(claim.rewards)} AUDIO, ${formatAudio(claim.delegatorsReward)} of it to the delegators`);

  const sp = await operator.staking.getServiceProvider();
  const delegations = await operator.staking.getDelegators(operatorAddress);
  return { spId, endpoint, delegatedAmount, round, claim, sp, delegations, delegator: delegatorWallet.address };
}

if (require.main === module) {
  stakeAndDelegate().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
