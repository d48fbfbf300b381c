import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import { DEVNET_ACCOUNT_COUNT, DEVNET_ROLES, devnetPrivateKey } from "../../devnet/accounts";
import { startChain, type Chain } from "../../devnet/chain";
import { ETH_CHAIN_ID } from "../../devnet/chains";
import { DEVNET_ETH_PARAMS, deployEthContracts, registerServiceProvider } from "../../devnet/deployEth";
import { devnetGenesis, dumpChainState } from "../../devnet/genesis";
import { buildDevnetGenesis, genesisText, GENESIS_FILE } from "../../scripts/devnet-genesis";

describe("devnet prepared genesis", function () {
  this.timeout(180_000);
  const chains: Chain[] = [];
  const dirs: string[] = [];
  const start = async (opts: Partial<Parameters<typeof startChain>[0]> = {}) => {
    const chain = await startChain({ chainId: ETH_CHAIN_ID, accounts: DEVNET_ACCOUNT_COUNT, ...opts });
    chains.push(chain);
    return chain;
  };
  const provider = (chain: Chain) => new JsonRpcProvider(chain.url, chain.chainId, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 50 });
  after(async () => {
    for (const c of chains) await c.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("devnet/genesis.json is exactly what a fresh deployment by transactions leaves (regenerate with scripts/devnet-genesis.ts)", async () => {
    expect(fs.readFileSync(GENESIS_FILE, "utf8")).to.equal(genesisText(await buildDevnetGenesis()));
  });

  it("a chain started from the genesis holds every account, slot and block height a deployment by transactions leaves, at the same addresses", async () => {
    const deployed = await start();
    const p = provider(deployed);
    const contracts = await deployEthContracts(new Wallet(devnetPrivateKey(DEVNET_ROLES.deployer), p), DEVNET_ETH_PARAMS);
    p.destroy();
    const genesis = devnetGenesis().ethChain;
    expect(contracts).to.deep.equal(genesis.contracts);
    const fromGenesis = await start({ genesis });
    // Both chains read back the same way, so any account, slot, nonce or height that differs shows here.
    const a = await dumpChainState(deployed.provider);
    const byCalls = await Promise.all(
      Object.entries(a.accounts).map(async ([address, account]) => {
        const get = (method: string, params: unknown[]) => fromGenesis.provider.request({ method, params }) as Promise<string>;
        const storage: Record<string, string> = {};
        for (const slot of Object.keys(account.storage)) storage[slot] = await get("eth_getStorageAt", [address, slot, "latest"]);
        return [address, { code: await get("eth_getCode", [address, "latest"]), nonce: Number(await get("eth_getTransactionCount", [address, "latest"])), balance: `0x${BigInt(await get("eth_getBalance", [address, "latest"])).toString(16)}`, storage }] as const;
      }),
    );
    expect(Object.fromEntries(byCalls)).to.deep.equal(a.accounts);
    expect(Number(await fromGenesis.provider.request({ method: "eth_blockNumber", params: [] }))).to.equal(a.head);
  });

  it("a node registers on a chain started from the genesis, and a persistent one comes back from its journal with the same head", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-genesis-"));
    dirs.push(dir);
    const journal = path.join(dir, "eth.journal");
    const genesis = devnetGenesis().ethChain;
    const chain = await start({ journal, genesis });
    const p = provider(chain);
    const spId = await registerServiceProvider({
      contracts: genesis.contracts,
      deployer: new Wallet(devnetPrivateKey(DEVNET_ROLES.deployer), p),
      operator: new Wallet(devnetPrivateKey(DEVNET_ROLES.contentNodes[0]), p),
      serviceType: "content-node",
      endpoint: "http://127.0.0.1:1",
      stake: 200_000n * 10n ** 18n,
    });
    expect(spId).to.equal(1n);
    p.destroy();
    const head = (await chain.provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { number: string; hash: string };
    chains.splice(chains.indexOf(chain), 1);
    await chain.close();
    // The genesis is in the journal: a restart replays it (and checks the head's hash) without being given it again.
    const again = await start({ journal });
    const replayed = (await again.provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { number: string; hash: string };
    expect(replayed).to.include({ number: head.number, hash: head.hash });
  });
});
