// Propose a parameter change, have the stakers vote, walk past the voting period and evaluate:
// `npx tsx examples/governance.ts` with a devnet up (npx asix devnet up).
import { createAsix, formatAudio, parseAudio } from "../sdk";
import { findState } from "../devnet/state";
import { mineEthChainTo } from "./mine-blocks";

export async function governance(devnet = findState(), log: (line: string) => void = console.log) {
  const reader = createAsix({ network: devnet });
  // The stakers are the owners of registered nodes; on a devnet their keys are in devnet.json.
  const nodes = [...(await reader.staking.listServiceProviders("content-node")), ...(await reader.staking.listServiceProviders("discovery-node"))];
  const owners = new Set(nodes.map((n) => n.owner.toLowerCase()));
  const stakers = devnet.accounts
    .filter((a) => owners.has(a.address.toLowerCase()))
    .map((a) => createAsix({ network: devnet, wallet: a.privateKey }));

  const before = (await reader.staking.getParameters()).fundingAmount;
  const fundingAmount = before + parseAudio("1000");
  const { proposalId } = await stakers[0].governance.propose({
    target: "ClaimsManager",
    functionSignature: "updateFundingAmount(uint256)",
    args: [fundingAmount],
    name: "Fund each round with 1000 AUDIO more",
    description: "More rewards for node operators and their delegators",
  });
  for (const staker of stakers) await staker.governance.vote(proposalId, "Yes");

  const proposal = await reader.governance.get(proposalId);
  log(`proposal ${proposalId}: ${proposal.numVotes} votes, ${formatAudio(proposal.voteMagnitudeYes)} AUDIO for`);
  // Voting period plus execution delay, in blocks: a devnet mines them at once.
  await mineEthChainTo(devnet, proposal.earliestEvaluationBlock);
  const { outcome } = await stakers[0].governance.evaluate(proposalId);
  const after = (await reader.staking.getParameters()).fundingAmount;
  log(`${outcome}: round funding ${formatAudio(before)} → ${formatAudio(after)} AUDIO`);
  return { proposalId, votes: proposal.numVotes, outcome, before, after };
}

if (require.main === module) {
  governance().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
