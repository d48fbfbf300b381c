import { JsonRpcProvider, Wallet } from "ethers";
import { startChain, type Chain } from "./chain";
import { DEVNET_ACCOUNT_COUNT, devnetPrivateKey } from "./accounts";
import type { EthContracts } from "./deployEth";
import { devnetGenesis } from "./genesis";
import { journalFile, replayLegacyChain, type PreparedStateDir } from "./persistence";
import type { Teardown } from "./teardown";

import { DATA_CHAIN_ID, ETH_CHAIN_ID } from "./constants";

export { DATA_CHAIN_ID, ETH_CHAIN_ID };

/**
 * Block 0's date on every fresh devnet (its later blocks are made at the wall clock's time): so
 * every fresh devnet has the same block 0, and a snapshot of one (the seed cache, devnet/seed/cache.ts)
 * can be replayed onto another, which keeps its block 0 and replays the rest. Networks are told apart
 * by the random id each gets when it is created (persistence.ts SavedNetwork.id).
 */
export const FRESH_GENESIS_DATE = "2025-01-01T00:00:00.000Z";

/** Both chains, with every contract deployed (or resumed from the saved network). */
export interface DevnetChains {
  ethChain: Chain;
  dataChain: Chain;
  ethProvider: JsonRpcProvider;
  dataProvider: JsonRpcProvider;
  /** eth chain wallet of devnet account i */
  ethWallet(i: number): Wallet;
  entityManager: { address: string; block: number };
  eth: EthContracts;
}

/**
 * Start the two chains with the protocol deployed, from the prepared state a deployment by
 * transactions leaves (devnet/genesis.ts), or, for a saved network, resume its journals (the same
 * genesis and transactions give the same contracts at the same addresses). Everything started is
 * added to `teardown`, also when a later step fails.
 */
export async function startDevnetChains(opts: {
  dir: string;
  ports: { ethChain: number; dataChain: number };
  persist?: boolean;
  prepared: PreparedStateDir;
  teardown: Teardown;
}): Promise<DevnetChains> {
  const { dir, ports, persist, teardown } = opts;
  const { saved, legacy } = opts.prepared;
  // A saved network resumes its own journals; a fresh one starts from the prepared deployment.
  const genesis = saved ? undefined : devnetGenesis();
  const initialDate = (key: "ethChain" | "dataChain") => legacy?.[key].genesisDate ?? (genesis ? FRESH_GENESIS_DATE : undefined);
  // Started together; each is stopped on failure even when the other failed.
  const chainStarts = await Promise.allSettled([
    startChain({ chainId: ETH_CHAIN_ID, port: ports.ethChain, accounts: DEVNET_ACCOUNT_COUNT, initialDate: initialDate("ethChain"), journal: persist ? journalFile(dir, ETH_CHAIN_ID) : undefined, genesis: genesis?.ethChain }),
    startChain({ chainId: DATA_CHAIN_ID, port: ports.dataChain, accounts: DEVNET_ACCOUNT_COUNT, initialDate: initialDate("dataChain"), mining: "batched", journal: persist ? journalFile(dir, DATA_CHAIN_ID) : undefined, genesis: genesis?.dataChain }),
  ]);
  for (const started of chainStarts) if (started.status === "fulfilled") teardown.add(() => started.value.close());
  for (const started of chainStarts) if (started.status === "rejected") throw started.reason;
  const [ethChain, dataChain] = chainStarts.map((s) => (s as PromiseFulfilledResult<Chain>).value);
  const ethProvider = rpc(ethChain);
  const dataProvider = rpc(dataChain);
  teardown.add(() => {
    ethProvider.destroy();
    dataProvider.destroy();
  });
  const ethWallet = (i: number) => new Wallet(devnetPrivateKey(i), ethProvider);

  let entityManager: { address: string; block: number };
  let eth: EthContracts;
  if (saved) {
    if (legacy) await Promise.all([replayLegacyChain(ethChain.provider, legacy.ethChain), replayLegacyChain(dataChain.provider, legacy.dataChain)]);
    ({ entityManager, eth } = saved);
  } else {
    entityManager = { ...genesis!.dataChain.entityManager };
    eth = { ...genesis!.ethChain.contracts };
  }
  return { ethChain, dataChain, ethProvider, dataProvider, ethWallet, entityManager, eth };
}

/**
 * Switch both chains from a block per transaction to one block every `intervalMs` (a real chain's
 * rhythm: a send waits for the next block). Mined through each chain's own provider, so the journals
 * and the block announcements see every block.
 */
export async function startBlockClock(chains: Pick<DevnetChains, "ethChain" | "dataChain">, intervalMs: number, teardown: Teardown): Promise<void> {
  const all = [chains.ethChain, chains.dataChain];
  await Promise.all(all.map((c) => c.provider.request({ method: "evm_setAutomine", params: [false] })));
  let mining = false;
  const timer = setInterval(() => {
    if (mining) return;
    mining = true;
    void Promise.all(all.map((c) => c.provider.request({ method: "evm_mine", params: [] }).catch(() => undefined))).finally(() => (mining = false));
  }, intervalMs);
  teardown.add(() => clearInterval(timer));
}

function rpc(chain: Chain): JsonRpcProvider {
  const provider = new JsonRpcProvider(chain.url, chain.chainId, { staticNetwork: true, cacheTimeout: -1 });
  provider.pollingInterval = 50;
  return provider;
}
