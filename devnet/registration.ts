import { parseEther, type TransactionRequest, type Wallet } from "ethers";
import { AsixError } from "../sdk/errors";
import { ETH_CONTRACTS } from "../sdk/protocol/ethContracts";
import { DEVNET_ROLES, discoveryOperatorIndex } from "./accounts";
import { serviceTypeBytes32, signStakingPermit, type EthContracts } from "./deployEth";
import type { DevnetState } from "./state";

import { DEVNET_NODE_STAKE } from "./constants";

export { DEVNET_NODE_STAKE };

interface Operator {
  wallet: Wallet;
  serviceType: "content-node" | "discovery-node";
  endpoint: string;
}

/**
 * Register the devnet's own nodes on the eth chain with real stake, as operators would (once per
 * network): the deployer funds each operator (ether for gas where it has none, the stake in
 * tokens), then each registers with a staking permit. Each phase's transactions are prepared
 * (estimated, permitted, signed) all at once and sent in node order, so the spIds follow the node
 * order as they did when each node registered in turn; one node after the other took ~8 ethers
 * round trips per node.
 */
export async function registerDevnetNodes(opts: {
  eth: EthContracts;
  /** eth chain wallet of devnet account i */
  wallet: (i: number) => Wallet;
  contentUrls: string[];
  discoveryUrls: string[];
}): Promise<Pick<DevnetState, "contentNodes" | "discoveryNodes">> {
  const operators: Operator[] = [
    ...opts.contentUrls.map((endpoint, i) => ({ wallet: opts.wallet(DEVNET_ROLES.contentNodes[i]), serviceType: "content-node" as const, endpoint })),
    ...opts.discoveryUrls.map((endpoint, i) => ({ wallet: opts.wallet(discoveryOperatorIndex(i)), serviceType: "discovery-node" as const, endpoint })),
  ];
  if (operators.length === 0) return { contentNodes: [], discoveryNodes: [] };
  const deployer = opts.wallet(DEVNET_ROLES.deployer);
  const provider = deployer.provider!;
  const token = ETH_CONTRACTS.token.factory.connect(opts.eth.token, deployer);

  // Phase 1: the deployer's funding transfers, with consecutive nonces.
  const holdings = await Promise.all(operators.map(async (o) => ({ ether: await provider.getBalance(o.wallet.address), tokens: await token.balanceOf(o.wallet.address) })));
  const funding: TransactionRequest[] = [];
  operators.forEach((o, i) => {
    // Operators past the funded accounts start with no ether on the eth chain.
    if (holdings[i].ether === 0n) funding.push({ to: o.wallet.address, value: parseEther("10") });
    if (holdings[i].tokens < DEVNET_NODE_STAKE) funding.push({ to: opts.eth.token, data: token.interface.encodeFunctionData("transfer", [o.wallet.address, DEVNET_NODE_STAKE - holdings[i].tokens]) });
  });
  const nonce = await deployer.getNonce("pending");
  await sendInOrder(deployer, await Promise.all(funding.map((tx, i) => deployer.populateTransaction({ ...tx, nonce: nonce + i }).then((t) => deployer.signTransaction(t)))));

  // Phase 2: each operator's registration.
  const factory = ETH_CONTRACTS.serviceProviderFactory.factory.connect(opts.eth.serviceProviderFactory, deployer);
  const registrations = await Promise.all(
    operators.map(async (o) => {
      const permit = await signStakingPermit(o.wallet, opts.eth, DEVNET_NODE_STAKE);
      const data = factory.interface.encodeFunctionData("registerWithPermit", [serviceTypeBytes32(o.serviceType), o.endpoint, DEVNET_NODE_STAKE, o.wallet.address, permit]);
      return o.wallet.signTransaction(await o.wallet.populateTransaction({ to: opts.eth.serviceProviderFactory, data }));
    }),
  );
  const receipts = await sendInOrder(deployer, registrations);
  const registered = operators.map((o, i) => {
    for (const log of receipts[i].logs) {
      const parsed = factory.interface.parseLog(log);
      if (parsed?.name === "RegisteredServiceProvider") return { endpoint: o.endpoint, spId: Number(parsed.args.spId), delegateOwnerWallet: o.wallet.address };
    }
    throw new AsixError("CHAIN_REVERTED", `register ${o.endpoint}: no RegisteredServiceProvider event in ${receipts[i].hash}`);
  });
  return { contentNodes: registered.slice(0, opts.contentUrls.length), discoveryNodes: registered.slice(opts.contentUrls.length) };
}

/** Send signed transactions one after the other (each is mined on arrival), then wait for every receipt; a reverted one is an error. */
async function sendInOrder(via: Wallet, signed: string[]) {
  const provider = via.provider!;
  const sent: Array<Awaited<ReturnType<typeof provider.broadcastTransaction>>> = [];
  for (const raw of signed) sent.push(await provider.broadcastTransaction(raw));
  const receipts = await Promise.all(sent.map((tx) => tx.wait()));
  return receipts.map((r, i) => {
    if (!r || r.status !== 1) throw new AsixError("CHAIN_REVERTED", `devnet registration transaction ${sent[i].hash} reverted`);
    return r;
  });
}
