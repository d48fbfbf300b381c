import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, Wallet, toQuantity } from "ethers";
import { startChain, type Chain } from "../../devnet/chain";
import { journalHead, readJournal } from "../../devnet/chainJournal";
import { devnetPrivateKey } from "../../devnet/accounts";

const CHAIN_ID = 1056801;

async function rpc(chain: Chain, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(chain.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return (await res.json()) as { result?: any; error?: any };
}

describe("devnet chain journal", function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const chains: Chain[] = [];
  const journalFile = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-journal-"));
    dirs.push(dir);
    return path.join(dir, "chain.journal");
  };
  const start = async (journal: string, mining: "auto" | "batched" = "batched") => {
    const chain = await startChain({ chainId: CHAIN_ID, mining, journal, accounts: 12 });
    chains.push(chain);
    return chain;
  };
  const stop = async (chain: Chain) => {
    chains.splice(chains.indexOf(chain), 1);
    await chain.close();
  };
  after(async () => {
    for (const c of chains) await c.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  for (const mining of ["batched", "auto"] as const) {
    it(`a chain restarted from its journal has the same blocks, hashes, balances and nonces (${mining} mining)`, async () => {
      const file = journalFile();
      let chain = await start(file, mining);
      const provider = new JsonRpcProvider(chain.url, CHAIN_ID, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
      const wallets = Array.from({ length: 6 }, (_, i) => new Wallet(devnetPrivateKey(i), provider));
      // concurrent raw sends (they share blocks when batched), a node-signed send, a walk of empty blocks and a state call
      await Promise.all(wallets.map(async (w, i) => (await w.sendTransaction({ to: wallets[(i + 1) % 6].address, value: 1000n + BigInt(i) })).wait()));
      await provider.send("eth_sendTransaction", [{ from: wallets[0].address, to: wallets[3].address, value: "0x7" }]);
      await provider.send("hardhat_mine", [toQuantity(500), toQuantity(12)]);
      await provider.send("hardhat_setBalance", [wallets[5].address, toQuantity(123456789n)]);
      await (await wallets[2].sendTransaction({ to: wallets[4].address, value: 5n })).wait();
      const head = await provider.getBlock("latest");
      const balances = await Promise.all(wallets.map((w) => provider.getBalance(w.address)));
      provider.destroy();
      await stop(chain);

      expect(readJournal(file)!.records.length, "a run of empty blocks is one record").to.be.lessThan(20);
      chain = await start(file, mining);
      const again = new JsonRpcProvider(chain.url, CHAIN_ID, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
      try {
        const replayed = await again.getBlock(head!.number);
        expect(replayed!.hash).to.equal(head!.hash);
        expect(await again.getBlockNumber()).to.equal(head!.number);
        expect(await Promise.all(wallets.map((w) => again.getBalance(w.address)))).to.deep.equal(balances);
        // the next write continues the chain
        const receipt = await (await wallets[1].connect(again).sendTransaction({ to: wallets[0].address, value: 1n })).wait();
        expect(receipt!.blockNumber).to.equal(head!.number + 1);
      } finally {
        again.destroy();
      }
    });
  }

  it("a send is journaled before it returns: a copy of the journal taken right then replays it", async () => {
    const file = journalFile();
    const chain = await start(file);
    const provider = new JsonRpcProvider(chain.url, CHAIN_ID, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    const wallet = new Wallet(devnetPrivateKey(3), provider);
    const hashes: string[] = [];
    for (let i = 0; i < 3; i++) hashes.push((await wallet.sendTransaction({ to: wallet.address, value: 1n })).hash);
    // what a kill -9 right now would leave on disk
    const copy = journalFile();
    fs.copyFileSync(file, copy);
    provider.destroy();

    const replayed = await start(copy);
    for (const hash of hashes) {
      const receipt = (await rpc(replayed, "eth_getTransactionReceipt", [hash])).result;
      expect(receipt, `receipt of ${hash} after replay`).to.not.equal(null);
    }
  });

  it("no RPC answer shows a block that is not in the journal yet", async () => {
    const file = journalFile();
    const chain = await start(file);
    const provider = new JsonRpcProvider(chain.url, CHAIN_ID, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    const wallets = Array.from({ length: 8 }, (_, i) => new Wallet(devnetPrivateKey(i), provider));
    let sending = true;
    const sends = (async () => {
      for (let round = 0; round < 6; round++) {
        await Promise.all(wallets.map(async (w) => (await w.sendTransaction({ to: w.address, value: 1n })).wait()));
      }
    })().finally(() => (sending = false));
    let checked = 0;
    while (sending) {
      const seen = Number((await rpc(chain, "eth_blockNumber")).result);
      const journaled = journalHead(readJournal(file)!.records);
      expect(journaled, `block ${seen} was answered before it was journaled`).to.be.at.least(seen);
      checked++;
    }
    await sends;
    provider.destroy();
    expect(checked).to.be.greaterThan(5);
  });

  it("drops a torn last line (a crash mid-append) and replays the rest", async () => {
    const file = journalFile();
    let chain = await start(file);
    const provider = new JsonRpcProvider(chain.url, CHAIN_ID, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    const receipt = await (await new Wallet(devnetPrivateKey(2), provider).sendTransaction({ to: new Wallet(devnetPrivateKey(3)).address, value: 1n })).wait();
    provider.destroy();
    await stop(chain);
    fs.appendFileSync(file, '{"n":99,"t":17');
    chain = await start(file);
    expect(Number((await rpc(chain, "eth_blockNumber")).result)).to.equal(receipt!.blockNumber);
    expect(fs.readFileSync(file, "utf8").endsWith("\n")).to.equal(true);
  });

  it("refuses evm_revert on a journaled chain, which would rewrite its history", async () => {
    const chain = await start(journalFile());
    const snapshot = (await rpc(chain, "evm_snapshot")).result;
    const answer = await rpc(chain, "evm_revert", [snapshot]);
    expect(answer.error?.message).to.match(/not supported on a persistent devnet chain/);
  });
});
