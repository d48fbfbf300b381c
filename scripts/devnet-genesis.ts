/**
 * Writes devnet/genesis.json: the state both devnet chains are in after the protocol's deployment
 * by transactions (devnet/genesis.ts says why). `npx tsx scripts/devnet-genesis.ts` regenerates it
 * (run it after changing a contract or the deployment; `npm run compile` does); `--check` exits 1
 * when the committed file differs from a fresh deployment.
 */
import fs from "node:fs";
import path from "node:path";
import { Wallet } from "ethers";
import { DEVNET_ACCOUNT_COUNT, DEVNET_ROLES, devnetPrivateKey } from "../devnet/accounts";
import { startChain } from "../devnet/chain";
import { DATA_CHAIN_ID, ETH_CHAIN_ID } from "../devnet/chains";
import { deployEntityManager } from "../devnet/deployData";
import { DEVNET_ETH_PARAMS, deployEthContracts } from "../devnet/deployEth";
import { dumpChainState, type DevnetGenesis } from "../devnet/genesis";
import { JsonRpcProvider } from "ethers";

export const GENESIS_FILE = path.join(__dirname, "..", "devnet", "genesis.json");

/** Deploy the protocol by transactions on two fresh chains configured as the devnet's, and read back their state. */
export async function buildDevnetGenesis(): Promise<DevnetGenesis> {
  // The same chain options as devnet/chains.ts, without a journal (nothing to keep) or a genesis (that is what is being made).
  const [ethChain, dataChain] = await Promise.all([
    startChain({ chainId: ETH_CHAIN_ID, port: 0, accounts: DEVNET_ACCOUNT_COUNT }),
    startChain({ chainId: DATA_CHAIN_ID, port: 0, accounts: DEVNET_ACCOUNT_COUNT, mining: "batched" }),
  ]);
  const providers = [ethChain, dataChain].map((c) => {
    const p = new JsonRpcProvider(c.url, c.chainId, { staticNetwork: true, cacheTimeout: -1 });
    p.pollingInterval = 50;
    return p;
  });
  try {
    const [entityManager, contracts] = await Promise.all([
      deployEntityManager(new Wallet(devnetPrivateKey(DEVNET_ROLES.deployer), providers[1]), new Wallet(devnetPrivateKey(DEVNET_ROLES.verifier)).address),
      deployEthContracts(new Wallet(devnetPrivateKey(DEVNET_ROLES.deployer), providers[0]), DEVNET_ETH_PARAMS),
    ]);
    const [eth, data] = await Promise.all([dumpChainState(ethChain.provider), dumpChainState(dataChain.provider)]);
    return { version: 1, ethChain: { ...eth, contracts }, dataChain: { ...data, entityManager } };
  } finally {
    for (const p of providers) p.destroy();
    await Promise.all([ethChain.close(), dataChain.close()]);
  }
}

/** The file's text for a genesis: stable key order, one trailing newline. */
export function genesisText(genesis: DevnetGenesis): string {
  return JSON.stringify(genesis, null, 1) + "\n";
}

async function main() {
  const text = genesisText(await buildDevnetGenesis());
  if (process.argv.includes("--check")) {
    const committed = fs.existsSync(GENESIS_FILE) ? fs.readFileSync(GENESIS_FILE, "utf8") : "";
    if (committed !== text) {
      console.error("devnet/genesis.json differs from a fresh deployment of the contracts. Run `npx tsx scripts/devnet-genesis.ts` and commit it.");
      process.exit(1);
    }
    console.log("devnet-genesis: devnet/genesis.json matches a fresh deployment");
    return;
  }
  fs.writeFileSync(GENESIS_FILE, text);
  console.log(`devnet-genesis: wrote ${path.relative(process.cwd(), GENESIS_FILE)}`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
